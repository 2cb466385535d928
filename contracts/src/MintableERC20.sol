// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IMintableERC20} from "./interfaces/IMintableERC20.sol";
import {Errors} from "./libraries/Errors.sol";

/**
 * @title MintableERC20
 * @notice An ERC20 whose owner lists minters (faucets, the staking asset handler).
 */
abstract contract MintableERC20 is IMintableERC20, ERC20, Ownable {
  mapping(address => bool) public isMinter;

  constructor(string memory name, string memory symbol, address owner) ERC20(name, symbol) Ownable(owner) {}

  /** @notice Owner only: lets `minter` mint. */
  function addMinter(address minter) external onlyOwner {
    isMinter[minter] = true;
    emit MinterAdded(minter);
  }

  /** @notice Owner only: revokes `minter`. */
  function removeMinter(address minter) external onlyOwner {
    isMinter[minter] = false;
    emit MinterRemoved(minter);
  }

  /** @notice Minters only: mints `amount` to `to`. */
  function mint(address to, uint256 amount) external {
    if (!isMinter[msg.sender]) revert Errors.MintableERC20__NotMinter(msg.sender);
    _mint(to, amount);
  }
}
