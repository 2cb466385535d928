// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/** @notice An L2 recipient: the L2 address and the rollup version it lives on. */
struct L2Actor {
  bytes32 actor;
  uint256 version;
}

/** @title IInbox @notice L1→L2 messages, one height-4 tree (16 messages) per L2 block. */
interface IInbox {
  event MessageSent(uint256 indexed l2BlockNumber, uint256 index, bytes32 indexed hash);

  /**
   * @notice Appends a message to the tree in progress.
   * @return leaf The message leaf, `sha256ToField(abi.encode(sender, chainid, actor, version, content, secretHash,
   *         globalIndex))`.
   * @return globalIndex `(tree - 1) * 16 + indexInTree`.
   */
  function sendL2Message(L2Actor calldata recipient, bytes32 content, bytes32 secretHash)
    external
    returns (bytes32 leaf, uint256 globalIndex);

  /** @notice Rollup only: root of tree `toConsume` (which must be closed); closes the next tree if it is in progress. */
  function consume(uint256 toConsume) external returns (bytes32 root);

  /** @notice Root of tree `blockNumber` (the empty height-4 root when it holds no message). */
  function getRoot(uint256 blockNumber) external view returns (bytes32);

  /** @notice Number of the tree that receives new messages. */
  function getInProgress() external view returns (uint256);

  /** @notice Number of messages in tree `blockNumber`. */
  function getMessageCount(uint256 blockNumber) external view returns (uint256);

  /** @notice Leaf `index` of tree `blockNumber`. */
  function getLeaf(uint256 blockNumber, uint256 index) external view returns (bytes32);
}
