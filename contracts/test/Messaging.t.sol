// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {FeeJuicePortal} from "../src/FeeJuicePortal.sol";
import {IInbox, L2Actor} from "../src/interfaces/IInbox.sol";
import {IOutbox, L2ToL1Msg} from "../src/interfaces/IOutbox.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {Hash} from "../src/libraries/Hash.sol";
import {Header} from "../src/libraries/HeaderLib.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

contract InboxTest is RollupTestBase {
  function setUp() public {
    _deploy(4, 4);
  }

  function _leaf(address sender, L2Actor memory to, bytes32 content, bytes32 secretHash, uint256 index)
    internal
    view
    returns (bytes32)
  {
    return Hash.sha256ToField(abi.encode(sender, block.chainid, to.actor, to.version, content, secretHash, index));
  }

  /// @dev Height-4 root computed independently of the contracts' Merkle code.
  function _root16(bytes32[16] memory leaves) internal pure returns (bytes32) {
    bytes32[8] memory l1;
    for (uint256 i = 0; i < 8; i++) l1[i] = Hash.sha256ToField(abi.encodePacked(leaves[2 * i], leaves[2 * i + 1]));
    bytes32[4] memory l2;
    for (uint256 i = 0; i < 4; i++) l2[i] = Hash.sha256ToField(abi.encodePacked(l1[2 * i], l1[2 * i + 1]));
    bytes32 a = Hash.sha256ToField(abi.encodePacked(l2[0], l2[1]));
    bytes32 b = Hash.sha256ToField(abi.encodePacked(l2[2], l2[3]));
    return Hash.sha256ToField(abi.encodePacked(a, b));
  }

  function test_sendMessage() public {
    L2Actor memory to = L2Actor(bytes32(uint256(0x42)), VERSION);
    bytes32 expected = _leaf(address(this), to, bytes32(uint256(1)), bytes32(uint256(2)), 16);
    vm.expectEmit(true, true, false, true, address(inbox));
    emit IInbox.MessageSent(2, 16, expected);
    (bytes32 leaf, uint256 index) = inbox.sendL2Message(to, bytes32(uint256(1)), bytes32(uint256(2)));
    assertEq(leaf, expected, "leaf formula");
    assertEq(index, 16, "first message goes to tree 2 at global index 16");
    assertEq(inbox.getMessageCount(2), 1, "count");
    assertEq(inbox.getLeaf(2, 0), leaf, "stored");
    bytes32[16] memory leaves;
    leaves[0] = leaf;
    assertEq(inbox.getRoot(2), _root16(leaves), "root of tree 2");
  }

  function test_treeRollover() public {
    L2Actor memory to = L2Actor(bytes32(uint256(0x42)), VERSION);
    bytes32[16] memory leaves;
    for (uint256 i = 0; i < 16; i++) {
      (leaves[i],) = inbox.sendL2Message(to, bytes32(i), bytes32(0));
    }
    assertEq(inbox.getInProgress(), 3, "a full tree moves inProgress on");
    (, uint256 index) = inbox.sendL2Message(to, bytes32(uint256(99)), bytes32(0));
    assertEq(index, 32, "17th message opens tree 3");
    assertEq(inbox.getRoot(2), _root16(leaves), "full tree root");
  }

  function test_consumeSemantics() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.Inbox__Unauthorized.selector, address(this)));
    inbox.consume(1);

    bytes32[16] memory empty;
    vm.startPrank(address(rollup));
    assertEq(inbox.consume(1), _root16(empty), "tree 1 is the empty tree");
    assertEq(inbox.getInProgress(), 3, "consuming tree 1 closes tree 2");
    vm.expectRevert(abi.encodeWithSelector(Errors.Inbox__MustBuildBeforeConsume.selector, 3, 3));
    inbox.consume(3);
    // Re-consuming (a re-proposed block after a prune) returns the same root and moves nothing.
    assertEq(inbox.consume(1), _root16(empty), "same root again");
    assertEq(inbox.getInProgress(), 3, "unchanged");
    vm.stopPrank();
  }

  function test_messagesReachTheNextBlockButOne() public {
    // Sent before block 1: lands in tree 2, consumed by block 2.
    (bytes32 leaf,) = inbox.sendL2Message(L2Actor(bytes32(uint256(0x42)), VERSION), bytes32(0), bytes32(0));
    bytes32[16] memory leaves;
    leaves[0] = leaf;
    _warpToSlot(0);
    Header memory h = _nextHeader(0);
    bytes32[16] memory empty;
    assertEq(h.contentCommitment.inHash, _root16(empty), "block 1 consumes the empty tree 1");
    _proposeOk(_finalize(h));
    // Sent after block 1: tree 2 is closed, so it goes to tree 3.
    (, uint256 index) = inbox.sendL2Message(L2Actor(bytes32(uint256(0x42)), VERSION), bytes32(0), bytes32(0));
    assertEq(index, 32, "tree 3");
    _warpToSlot(1);
    h = _nextHeader(1);
    assertEq(h.contentCommitment.inHash, _root16(leaves), "block 2 consumes tree 2");
    _proposeOk(_finalize(h));
  }
}

contract OutboxTest is RollupTestBase {
  L2ToL1Msg internal message;
  bytes32 internal leaf;
  bytes32 internal sibling = bytes32(uint256(0x5151));
  bytes32 internal root;

  function setUp() public {
    _deploy(4, 4);
    message = L2ToL1Msg(bytes32(uint256(0x12)), address(this), bytes32(uint256(0x34)));
    leaf = Hash.sha256ToField(abi.encode(message.sender, message.recipient, block.chainid, message.content));
    // Two-leaf tree: our message at index 1.
    root = Hash.sha256ToField(abi.encodePacked(sibling, leaf));
    Header memory h = _nextHeader(0);
    h.contentCommitment.outHash = root;
    _proposeOk(_finalize(h));
  }

  function _path() internal view returns (bytes32[] memory path) {
    path = new bytes32[](1);
    path[0] = sibling;
  }

  function _proveBlock1() internal {
    _warpToSlot(EPOCH);
    rollup.submitEpochRootProof(1, 1, _publicInputs(1, 1, 0), "");
  }

  function test_revertWhen_blockNotProven() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.Outbox__BlockNotProven.selector, 1, 0));
    outbox.consume(message, 1, 1, _path());
  }

  function test_consumeOnce() public {
    _proveBlock1();
    vm.expectEmit(true, true, true, true, address(outbox));
    emit IOutbox.MessageConsumed(1, root, leaf, 1);
    outbox.consume(message, 1, 1, _path());
    assertTrue(outbox.hasMessageBeenConsumedAtBlockAndIndex(1, 1), "marked consumed");
    vm.expectRevert(abi.encodeWithSelector(Errors.Outbox__AlreadyConsumed.selector, 1, 1));
    outbox.consume(message, 1, 1, _path());
  }

  function test_revertWhen_badPath() public {
    _proveBlock1();
    bytes32 computedAtZero = Hash.sha256ToField(abi.encodePacked(leaf, sibling));
    vm.expectRevert(abi.encodeWithSelector(Errors.Outbox__InvalidPath.selector, 1, 0, root, computedAtZero));
    outbox.consume(message, 1, 0, _path());
    vm.expectRevert(abi.encodeWithSelector(Errors.MerkleLib__IndexOutOfRange.selector, 3, 1));
    outbox.consume(message, 1, 3, _path());
    L2ToL1Msg memory other = message;
    other.content = bytes32(uint256(0x35));
    bytes32 otherLeaf = Hash.sha256ToField(abi.encode(other.sender, other.recipient, block.chainid, other.content));
    bytes32 computedOther = Hash.sha256ToField(abi.encodePacked(sibling, otherLeaf));
    vm.expectRevert(abi.encodeWithSelector(Errors.Outbox__InvalidPath.selector, 1, 1, root, computedOther));
    outbox.consume(other, 1, 1, _path());
    assertFalse(outbox.hasMessageBeenConsumedAtBlockAndIndex(1, 1), "nothing consumed");
  }

  function test_revertWhen_notRecipient() public {
    _proveBlock1();
    vm.prank(address(0xBAD));
    vm.expectRevert(abi.encodeWithSelector(Errors.Outbox__InvalidRecipient.selector, address(this), address(0xBAD)));
    outbox.consume(message, 1, 1, _path());
  }

  function test_revertWhen_insertNotByRollup() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.Outbox__Unauthorized.selector, address(this)));
    outbox.insert(5, bytes32(uint256(1)));
  }

  function test_revertWhen_blockHasNoMessages() public {
    _warpToSlot(1);
    Header memory h = _nextHeader(1);
    h.contentCommitment.outHash = bytes32(0);
    _proposeOk(_finalize(h));
    _warpToSlot(EPOCH);
    rollup.submitEpochRootProof(1, 2, _publicInputs(1, 2, 0), "");
    vm.expectRevert(abi.encodeWithSelector(Errors.Outbox__NothingToConsumeAtBlock.selector, 2));
    outbox.consume(message, 2, 1, _path());
  }
}

contract FeeJuicePortalTest is RollupTestBase {
  FeeJuicePortal internal portal;

  function setUp() public {
    _deploy(4, 4);
    portal = new FeeJuicePortal(rollup);
  }

  function test_depositProducesInboxLeaf() public {
    bytes32 to = bytes32(uint256(0xA1));
    uint256 amount = 5e18;
    bytes32 secretHash = bytes32(uint256(0x5ec));
    feeAsset.mint(address(this), amount);
    feeAsset.approve(address(portal), amount);

    bytes32 content = Hash.sha256ToField(abi.encodeWithSignature("claim(bytes32,uint256)", to, amount));
    bytes32 expected = Hash.sha256ToField(
      abi.encode(address(portal), block.chainid, bytes32(uint256(5)), VERSION, content, secretHash, uint256(16))
    );
    vm.expectEmit(true, false, false, true, address(portal));
    emit FeeJuicePortal.DepositToAztecPublic(to, amount, secretHash, expected, 16);
    (bytes32 key, uint256 index) = portal.depositToAztecPublic(to, amount, secretHash);
    assertEq(key, expected, "inbox leaf");
    assertEq(index, 16, "global index");
    assertEq(inbox.getLeaf(2, 0), expected, "stored in tree 2");
    assertEq(feeAsset.balanceOf(address(portal)), amount, "locked in the portal");
    assertEq(portal.L2_FEE_JUICE(), bytes32(uint256(5)), "fee juice address");
  }
}
