// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Errors} from "./Errors.sol";
import {Hash} from "./Hash.sol";

/**
 * @title MerkleLib
 * @notice Binary Merkle trees with `sha256ToField(left ‖ right)` nodes and `bytes32(0)` empty leaves.
 */
library MerkleLib {
  /**
   * @notice Root of the tree in which `leaf` sits at `index`, given its sibling path (leaf-level sibling first).
   * @dev Bit k of `index` set means the node at level k is a right child. An index that does not fit the path's
   *      height is rejected, otherwise two indices could prove the same leaf position.
   */
  function computeRoot(bytes32 leaf, uint256 index, bytes32[] memory path) internal pure returns (bytes32 node) {
    uint256 height = path.length;
    if (height < 256 && (index >> height) != 0) revert Errors.MerkleLib__IndexOutOfRange(index, height);
    node = leaf;
    for (uint256 k = 0; k < height; k++) {
      node = ((index >> k) & 1) == 1 ? Hash.hashPair(path[k], node) : Hash.hashPair(node, path[k]);
    }
  }

  /** @notice Whether `path` proves `leaf` at `index` under `root`. */
  function verify(bytes32 leaf, uint256 index, bytes32[] memory path, bytes32 root) internal pure returns (bool) {
    return computeRoot(leaf, index, path) == root;
  }

  /** @notice Root of a full tree over `leaves` (length a power of two, at least 1). Overwrites `leaves`. */
  function computeRootFromLeaves(bytes32[] memory leaves) internal pure returns (bytes32) {
    uint256 n = leaves.length;
    if (n == 0 || (n & (n - 1)) != 0) revert Errors.MerkleLib__NotPowerOfTwo(n);
    while (n > 1) {
      for (uint256 i = 0; i < n / 2; i++) {
        leaves[i] = Hash.hashPair(leaves[2 * i], leaves[2 * i + 1]);
      }
      n /= 2;
    }
    return leaves[0];
  }
}
