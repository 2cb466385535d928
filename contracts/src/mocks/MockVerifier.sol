// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IEpochProofVerifier} from "../interfaces/IEpochProofVerifier.sol";

/**
 * @title MockVerifier
 * @notice Accepts every proof. For development networks only: with it, anyone can mark an epoch proven.
 */
contract MockVerifier is IEpochProofVerifier {
  /** @notice Always true. */
  function verify(bytes calldata, bytes32[] calldata) external pure returns (bool) {
    return true;
  }
}
