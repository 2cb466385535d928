// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MintableERC20} from "./MintableERC20.sol";

/** @title StakingAsset @notice The token validators stake ("Staking Asset", TST). */
contract StakingAsset is MintableERC20 {
  constructor(address owner) MintableERC20("Staking Asset", "TST", owner) {}
}
