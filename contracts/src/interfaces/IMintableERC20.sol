// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/** @title IMintableERC20 @notice An ERC20 whose owner lists minters. */
interface IMintableERC20 is IERC20 {
  event MinterAdded(address indexed minter);
  event MinterRemoved(address indexed minter);

  /** @notice Owner only: lets `minter` mint. */
  function addMinter(address minter) external;
  /** @notice Owner only: revokes `minter`. */
  function removeMinter(address minter) external;
  /** @notice Minters only: mints `amount` to `to`. */
  function mint(address to, uint256 amount) external;
  /** @notice Whether `account` may mint. */
  function isMinter(address account) external view returns (bool);
}
