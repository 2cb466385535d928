// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IInbox, L2Actor} from "./interfaces/IInbox.sol";
import {Errors} from "./libraries/Errors.sol";
import {Hash} from "./libraries/Hash.sol";
import {MerkleLib} from "./libraries/MerkleLib.sol";

/**
 * @title Inbox
 * @notice L1→L2 messages in one height-4 tree per L2 block. New messages go to tree `inProgress`; proposing block
 *         `n` consumes tree `n` and closes tree `n + 1`, so the messages of a block are fixed before it is built.
 */
contract Inbox is IInbox {
  uint256 public constant L1_TO_L2_MSG_SUBTREE_HEIGHT = 4;
  uint256 public constant MESSAGES_PER_TREE = 16;

  address public immutable ROLLUP;

  mapping(uint256 blockNumber => bytes32[MESSAGES_PER_TREE]) internal _leaves;
  mapping(uint256 blockNumber => uint256) internal _counts;
  // Tree 1 stays empty: block 1 is built while tree 2 fills.
  uint256 internal _inProgress = 2;

  constructor(address rollup) {
    ROLLUP = rollup;
  }

  /** @notice Appends a message for `recipient` to the tree in progress; a full tree moves `inProgress` on. */
  function sendL2Message(L2Actor calldata recipient, bytes32 content, bytes32 secretHash)
    external
    returns (bytes32 leaf, uint256 globalIndex)
  {
    uint256 tree = _inProgress;
    uint256 count = _counts[tree];
    globalIndex = (tree - 1) * MESSAGES_PER_TREE + count;
    leaf = Hash.sha256ToField(
      abi.encode(msg.sender, block.chainid, recipient.actor, recipient.version, content, secretHash, globalIndex)
    );
    _leaves[tree][count] = leaf;
    _counts[tree] = count + 1;
    if (count + 1 == MESSAGES_PER_TREE) _inProgress = tree + 1;
    emit MessageSent(tree, globalIndex, leaf);
  }

  /** @notice Rollup only: root of closed tree `toConsume`; closes tree `toConsume + 1` if it is in progress. */
  function consume(uint256 toConsume) external returns (bytes32 root) {
    if (msg.sender != ROLLUP) revert Errors.Inbox__Unauthorized(msg.sender);
    uint256 inProgress = _inProgress;
    if (toConsume >= inProgress) revert Errors.Inbox__MustBuildBeforeConsume(toConsume, inProgress);
    root = getRoot(toConsume);
    if (toConsume + 1 == inProgress) _inProgress = inProgress + 1;
  }

  /** @notice Root of tree `blockNumber` (empty leaves are zero). */
  function getRoot(uint256 blockNumber) public view returns (bytes32) {
    bytes32[] memory leaves = new bytes32[](MESSAGES_PER_TREE);
    uint256 count = _counts[blockNumber];
    for (uint256 i = 0; i < count; i++) {
      leaves[i] = _leaves[blockNumber][i];
    }
    return MerkleLib.computeRootFromLeaves(leaves);
  }

  /** @notice Number of the tree receiving new messages. */
  function getInProgress() external view returns (uint256) {
    return _inProgress;
  }

  /** @notice Number of messages in tree `blockNumber`. */
  function getMessageCount(uint256 blockNumber) external view returns (uint256) {
    return _counts[blockNumber];
  }

  /** @notice Leaf `index` of tree `blockNumber`. */
  function getLeaf(uint256 blockNumber, uint256 index) external view returns (bytes32) {
    return _leaves[blockNumber][index];
  }
}
