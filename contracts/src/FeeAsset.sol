// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MintableERC20} from "./MintableERC20.sol";

/** @title FeeAsset @notice The L1 token bridged to L2 as fee juice ("Fee Juice", FEE). */
contract FeeAsset is MintableERC20 {
  constructor(address owner) MintableERC20("Fee Juice", "FEE", owner) {}
}
