// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/** @title IEpochProofVerifier @notice Verifies an epoch root proof against its public inputs. */
interface IEpochProofVerifier {
  /** @notice Whether `proof` is valid for `publicInputs`. */
  function verify(bytes calldata proof, bytes32[] calldata publicInputs) external view returns (bool);
}
