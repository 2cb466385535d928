// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IOutbox, L2ToL1Msg} from "./interfaces/IOutbox.sol";
import {IRollup} from "./interfaces/IRollup.sol";
import {Errors} from "./libraries/Errors.sol";
import {Hash} from "./libraries/Hash.sol";
import {MerkleLib} from "./libraries/MerkleLib.sol";

/**
 * @title Outbox
 * @notice L2→L1 message roots per L2 block. Messages are released only once their block is proven, so a prune
 *         can never revoke a consumed message.
 */
contract Outbox is IOutbox {
  address public immutable ROLLUP;

  mapping(uint256 blockNumber => bytes32) internal _roots;
  mapping(uint256 blockNumber => mapping(uint256 leafIndex => bool)) internal _consumed;

  constructor(address rollup) {
    ROLLUP = rollup;
  }

  /** @notice Rollup only: sets the message root of `blockNumber`; a re-proposed block overwrites. */
  function insert(uint256 blockNumber, bytes32 root) external {
    if (msg.sender != ROLLUP) revert Errors.Outbox__Unauthorized(msg.sender);
    _roots[blockNumber] = root;
    emit RootAdded(blockNumber, root);
  }

  /**
   * @notice Consumes `message` of proven block `blockNumber` at `leafIndex` with sibling path `path`.
   * @dev Leaf = `sha256ToField(abi.encode(sender, recipient, chainid, content))`; only the recipient may consume.
   */
  function consume(L2ToL1Msg calldata message, uint256 blockNumber, uint256 leafIndex, bytes32[] calldata path)
    external
  {
    uint256 proven = IRollup(ROLLUP).getProvenBlockNumber();
    if (blockNumber > proven) revert Errors.Outbox__BlockNotProven(blockNumber, proven);
    if (message.recipient != msg.sender) revert Errors.Outbox__InvalidRecipient(message.recipient, msg.sender);
    bytes32 root = _roots[blockNumber];
    if (root == bytes32(0)) revert Errors.Outbox__NothingToConsumeAtBlock(blockNumber);
    if (_consumed[blockNumber][leafIndex]) revert Errors.Outbox__AlreadyConsumed(blockNumber, leafIndex);
    bytes32 leaf =
      Hash.sha256ToField(abi.encode(message.sender, message.recipient, block.chainid, message.content));
    bytes32 computed = MerkleLib.computeRoot(leaf, leafIndex, path);
    if (computed != root) revert Errors.Outbox__InvalidPath(blockNumber, leafIndex, root, computed);
    _consumed[blockNumber][leafIndex] = true;
    emit MessageConsumed(blockNumber, root, leaf, leafIndex);
  }

  /** @notice The message root stored for `blockNumber`. */
  function getRootData(uint256 blockNumber) external view returns (bytes32) {
    return _roots[blockNumber];
  }

  /** @notice Whether (`blockNumber`, `leafIndex`) was consumed. */
  function hasMessageBeenConsumedAtBlockAndIndex(uint256 blockNumber, uint256 leafIndex) external view returns (bool) {
    return _consumed[blockNumber][leafIndex];
  }
}
