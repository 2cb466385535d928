// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/** @notice An L2→L1 message: the L2 sender, the L1 recipient and the content. */
struct L2ToL1Msg {
  bytes32 sender;
  address recipient;
  bytes32 content;
}

/** @title IOutbox @notice L2→L1 message roots per block, released once the block is proven. */
interface IOutbox {
  event RootAdded(uint256 indexed blockNumber, bytes32 indexed root);
  event MessageConsumed(uint256 indexed blockNumber, bytes32 indexed root, bytes32 indexed messageHash, uint256 leafIndex);

  /** @notice Rollup only: sets the message root of `blockNumber` (overwrites after a prune). */
  function insert(uint256 blockNumber, bytes32 root) external;

  /**
   * @notice Consumes `message` from proven block `blockNumber`, proven by `path` at `leafIndex`; callable by the
   *         message's recipient only, once per (block, leaf index).
   */
  function consume(L2ToL1Msg calldata message, uint256 blockNumber, uint256 leafIndex, bytes32[] calldata path)
    external;

  /** @notice The message root stored for `blockNumber`. */
  function getRootData(uint256 blockNumber) external view returns (bytes32);

  /** @notice Whether the message at (`blockNumber`, `leafIndex`) was consumed. */
  function hasMessageBeenConsumedAtBlockAndIndex(uint256 blockNumber, uint256 leafIndex) external view returns (bool);
}
