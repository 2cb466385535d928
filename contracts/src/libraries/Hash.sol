// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/**
 * @title Hash
 * @notice sha256 reduced to a field element: the digest with its most significant byte zeroed, so that every
 *         hash fits the L2 field and the node can compute it with native sha256.
 */
library Hash {
  uint256 internal constant FIELD_MASK = (1 << 248) - 1;

  /** @notice `sha256(data)` with the top byte cleared. */
  function sha256ToField(bytes memory data) internal pure returns (bytes32) {
    return bytes32(uint256(sha256(data)) & FIELD_MASK);
  }

  /** @notice Merkle node hash: `sha256ToField(left ‖ right)`. */
  function hashPair(bytes32 left, bytes32 right) internal pure returns (bytes32) {
    return sha256ToField(abi.encodePacked(left, right));
  }
}
