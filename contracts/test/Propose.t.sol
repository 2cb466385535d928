// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IRollup, BlockLog, Signature} from "../src/interfaces/IRollup.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {Hash} from "../src/libraries/Hash.sol";
import {Header} from "../src/libraries/HeaderLib.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

contract ProposeTest is RollupTestBase {
  function setUp() public {
    _deploy(4, 4);
  }

  function test_genesisState() public view {
    assertEq(rollup.GENESIS_TIME(), START, "genesis time defaults to deployment time");
    assertEq(rollup.L1_BLOCK_AT_GENESIS(), block.number, "L1 block at genesis");
    assertEq(rollup.getPendingBlockNumber(), 0, "pending");
    assertEq(rollup.getProvenBlockNumber(), 0, "proven");
    (bytes32 genesisArchive,) = _treeWalk(archiveLeaves, 0);
    assertEq(rollup.archiveAt(0), genesisArchive, "genesis archive");
    assertEq(rollup.archiveAt(1), bytes32(0), "no archive beyond the tip");
    assertEq(rollup.getEpochCommittee(0).length, 4, "genesis validators form the epoch 0 committee");
    assertEq(rollup.getCurrentSlot(), 0, "slot 0 at genesis");
  }

  function test_proposeFirstBlockInFirstSlot() public {
    Proposal memory p = _finalize(_nextHeader(0));
    bytes32 headerHash = Hash.sha256ToField(abi.encode(p.header));
    vm.expectEmit(true, true, false, true, address(rollup));
    emit IRollup.L2BlockProposed(1, p.archive, p.blobHashes);
    _proposeOk(p);

    BlockLog memory log = rollup.getBlock(1);
    assertEq(log.archive, p.archive, "block archive");
    assertEq(log.headerHash, headerHash, "block header hash");
    assertEq(log.slotNumber, 0, "block slot");
    assertEq(log.coinbase, p.header.globalVariables.coinbase, "block coinbase");
    assertEq(outbox.getRootData(1), p.header.contentCommitment.outHash, "outbox root inserted");
    assertEq(inbox.getInProgress(), 3, "block 1 closes inbox tree 2");
    (uint256 pending, uint256 proven) = rollup.getTips();
    assertEq(pending, 1, "tips pending");
    assertEq(proven, 0, "tips proven");
  }

  function test_proposeSeveralBlocksWithAllSignatures() public {
    _proposeAtSlot(0);
    _proposeAtSlot(1);
    _warpToSlot(5);
    Proposal memory p = _finalize(_nextHeader(5));
    // Every committee member signs: more than the quorum is accepted.
    address[] memory committee = rollup.getEpochCommittee(1);
    bytes32 digest = _digestOf(p);
    p.attestations = new Signature[](committee.length);
    for (uint256 i = 0; i < committee.length; i++) {
      p.attestations[i] = _sign(keyOf[committee[i]], digest);
    }
    _proposeOk(p);
    assertEq(rollup.getBlock(3).slotNumber, 5, "third block in slot 5");
  }

  function test_revertWhen_wrongProposer() public {
    Proposal memory p = _finalize(_nextHeader(0));
    address expected = p.sender;
    p.sender = address(0xBAD);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidProposer.selector, expected, address(0xBAD)));
    _submit(p);
  }

  function test_revertWhen_attesterInsteadOfProposerSends() public {
    Proposal memory p = _finalize(_nextHeader(0));
    address expected = p.sender;
    // The attester key is not the account allowed to publish: its registered proposer is.
    address attester = rollup.getCurrentProposer();
    p.sender = attester;
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidProposer.selector, expected, attester));
    _submit(p);
  }

  function test_revertWhen_wrongSlot() public {
    _warpToSlot(2);
    Proposal memory p = _finalize(_nextHeader(1));
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidSlotNumber.selector, 2, 1));
    _submit(p);
  }

  function test_revertWhen_futureSlot() public {
    _warpToSlot(2);
    Proposal memory p = _finalize(_nextHeader(3));
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidSlotNumber.selector, 2, 3));
    _submit(p);
  }

  function test_revertWhen_wrongTimestamp() public {
    _warpToSlot(2);
    Header memory h = _nextHeader(2);
    uint256 ts = h.globalVariables.timestamp;
    h.globalVariables.timestamp = ts + 1;
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidTimestamp.selector, ts, ts + 1));
    _submit(p);
  }

  function test_revertWhen_secondBlockInSlot() public {
    _proposeAtSlot(1);
    // Later in the same slot.
    vm.warp(block.timestamp + SLOT - 1);
    Proposal memory p = _finalize(_nextHeader(1));
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__SlotAlreadyInChain.selector, 1, 1));
    _submit(p);
  }

  function test_revertWhen_missingQuorum() public {
    Proposal memory p = _finalize(_nextHeader(0));
    Signature[] memory two = new Signature[](2);
    two[0] = p.attestations[0];
    two[1] = p.attestations[1];
    p.attestations = two;
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InsufficientAttestations.selector, 3, 2));
    _submit(p);
  }

  function test_revertWhen_signatureFromOutsideCommittee() public {
    Proposal memory p = _finalize(_nextHeader(0));
    uint256 outsiderKey = 0xBAD;
    p.attestations[1] = _sign(outsiderKey, _digestOf(p));
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Rollup__AttesterNotInCommittee.selector, 1, vm.addr(outsiderKey))
    );
    _submit(p);
  }

  function test_revertWhen_signatureOverAnotherBlock() public {
    Proposal memory p = _finalize(_nextHeader(0));
    address[] memory committee = rollup.getEpochCommittee(0);
    // A member's signature over a different archive recovers to an unrelated address.
    bytes32 otherDigest = rollup.getProposalDigest(Hash.sha256ToField(abi.encode(p.header)), bytes32(uint256(1)));
    Signature memory sig = _sign(keyOf[committee[2]], otherDigest);
    p.attestations[2] = sig;
    address recovered = ecrecover(MessageHashUtils.toEthSignedMessageHash(_digestOf(p)), sig.v, sig.r, sig.s);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__AttesterNotInCommittee.selector, 2, recovered));
    _submit(p);
  }

  function test_revertWhen_malformedSignature() public {
    Proposal memory p = _finalize(_nextHeader(0));
    p.attestations[0].v = 5;
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidSignature.selector, 0));
    _submit(p);
  }

  function test_revertWhen_signaturesOutOfOrder() public {
    Proposal memory p = _finalize(_nextHeader(0));
    address[] memory committee = rollup.getEpochCommittee(0);
    bytes32 digest = _digestOf(p);
    p.attestations[0] = _sign(keyOf[committee[2]], digest);
    p.attestations[1] = _sign(keyOf[committee[1]], digest);
    p.attestations[2] = _sign(keyOf[committee[3]], digest);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__AttestationOutOfOrder.selector, 1, 2, 1));
    _submit(p);
  }

  function test_revertWhen_duplicateSignatures() public {
    Proposal memory p = _finalize(_nextHeader(0));
    p.attestations[1] = p.attestations[0];
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__AttestationOutOfOrder.selector, 1, 0, 0));
    _submit(p);
  }

  function test_revertWhen_badLastArchive() public {
    Header memory h = _nextHeader(0);
    bytes32 tip = h.lastArchive.root;
    h.lastArchive.root = bytes32(uint256(0x1234));
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidArchive.selector, tip, bytes32(uint256(0x1234))));
    _submit(p);
  }

  function test_revertWhen_badLastArchiveLeafIndex() public {
    Header memory h = _nextHeader(0);
    h.lastArchive.nextAvailableLeafIndex = 5;
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidArchiveLeafIndex.selector, 1, 5));
    _submit(p);
  }

  function test_revertWhen_blobhashMismatch() public {
    Proposal memory p = _finalize(_nextHeader(0));
    bytes32[] memory txBlobs = new bytes32[](2);
    txBlobs[0] = p.blobHashes[0];
    txBlobs[1] = bytes32(uint256(0x0100000000000000000000000000000000000000000000000000000000000099));
    p.txBlobHashes = txBlobs;
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidBlobHash.selector, 1, txBlobs[1], p.blobHashes[1]));
    _submit(p);
  }

  function test_revertWhen_blobsHashMismatch() public {
    Header memory h = _nextHeader(0);
    bytes32 computed = h.contentCommitment.blobsHash;
    h.contentCommitment.blobsHash = bytes32(uint256(5));
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidBlobsHash.selector, computed, bytes32(uint256(5))));
    _submit(p);
  }

  function test_revertWhen_blobInputMalformed() public {
    Proposal memory p = _finalize(_nextHeader(0));
    bytes memory input = abi.encodePacked(uint8(3), p.blobHashes); // claims 3 hashes, carries 2
    vm.blobhashes(p.txBlobHashes);
    vm.prank(p.sender);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidBlobInput.selector, 65));
    rollup.propose(abi.encode(p.header), p.archive, p.attestations, input);
  }

  function test_revertWhen_wrongInboxRoot() public {
    Header memory h = _nextHeader(0);
    bytes32 root = h.contentCommitment.inHash;
    h.contentCommitment.inHash = bytes32(uint256(0x77));
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidInHash.selector, root, bytes32(uint256(0x77))));
    _submit(p);
  }

  function test_revertWhen_wrongChainId() public {
    Header memory h = _nextHeader(0);
    h.globalVariables.chainId = 1;
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidChainId.selector, block.chainid, 1));
    _submit(p);
  }

  function test_revertWhen_wrongVersion() public {
    Header memory h = _nextHeader(0);
    h.globalVariables.version = VERSION + 1;
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidVersion.selector, VERSION, VERSION + 1));
    _submit(p);
  }

  function test_revertWhen_wrongBlockNumber() public {
    Header memory h = _nextHeader(0);
    h.globalVariables.blockNumber = 2;
    Proposal memory p = _finalize(h);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidBlockNumber.selector, 1, 2));
    _submit(p);
  }

  function test_revertWhen_headerHasWrongLength() public {
    Proposal memory p = _finalize(_nextHeader(0));
    bytes memory header = abi.encodePacked(abi.encode(p.header), bytes32(0));
    vm.blobhashes(p.txBlobHashes);
    vm.prank(p.sender);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidHeaderLength.selector, 800, 832));
    rollup.propose(header, p.archive, p.attestations, _blobInput(p.blobHashes));
  }

  function test_emptyCommitteeLetsAnyoneProposeWithoutSignatures() public {
    _deploy(0, 4);
    assertEq(rollup.getCurrentEpochCommittee().length, 0, "empty committee");
    assertEq(rollup.getCurrentProposer(), address(0), "no proposer");
    Proposal memory p = _finalize(_nextHeader(0));
    assertEq(p.attestations.length, 0, "no attestations");
    p.sender = address(0x1234567);
    _proposeOk(p);
    _warpToSlot(1);
    p = _finalize(_nextHeader(1));
    p.sender = address(0x7654321);
    _proposeOk(p);
  }

  function test_canProposeAtTime() public {
    bytes32 genesisArchive = rollup.archiveAt(0);
    uint256 ts = rollup.getTimestampForSlot(3);
    (uint256 slot, uint256 blockNumber) = rollup.canProposeAtTime(ts + 5, genesisArchive);
    assertEq(slot, 3, "slot of ts");
    assertEq(blockNumber, 1, "next block number");

    vm.expectRevert(
      abi.encodeWithSelector(Errors.Rollup__InvalidArchive.selector, genesisArchive, bytes32(uint256(1)))
    );
    rollup.canProposeAtTime(ts, bytes32(uint256(1)));

    _proposeAtSlot(3);
    bytes32 tip = rollup.archiveAt(1);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__SlotAlreadyInChain.selector, 3, 3));
    rollup.canProposeAtTime(ts + 1, tip);
    (slot, blockNumber) = rollup.canProposeAtTime(ts + SLOT, tip);
    assertEq(slot, 4, "next slot");
    assertEq(blockNumber, 2, "block after the tip");
  }

  function test_canProposeAtTimeAccountsForDuePrune() public {
    _proposeAtSlot(0);
    bytes32 genesisArchive = rollup.archiveAt(0);
    bytes32 tip = rollup.archiveAt(1);
    // Epoch 0's proof window ends at slot (0 + 1) * EPOCH + WINDOW.
    uint256 deadline = rollup.getTimestampForSlot(EPOCH + WINDOW);
    (, uint256 blockNumber) = rollup.canProposeAtTime(deadline - 1, tip);
    assertEq(blockNumber, 2, "before the deadline the tip stands");
    (uint256 slot, uint256 next) = rollup.canProposeAtTime(deadline, genesisArchive);
    assertEq(slot, EPOCH + WINDOW, "slot at the deadline");
    assertEq(next, 1, "after the deadline the chain falls back to the proven tip");
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidArchive.selector, genesisArchive, tip));
    rollup.canProposeAtTime(deadline, tip);
  }

  function test_timeGetters() public view {
    assertEq(rollup.getTimestampForSlot(10), START + 10 * SLOT, "timestampForSlot");
    assertEq(rollup.getSlotAt(START + 10 * SLOT + SLOT - 1), 10, "slotAt");
    assertEq(rollup.getEpochAt(START + EPOCH * SLOT), 1, "epochAt");
    assertEq(rollup.getEpochAtSlot(2 * EPOCH - 1), 1, "epochAtSlot");
    assertEq(rollup.SLOT_DURATION(), SLOT, "slot duration");
    assertEq(rollup.EPOCH_DURATION(), EPOCH, "epoch duration");
    assertEq(rollup.PROOF_SUBMISSION_WINDOW(), WINDOW, "window");
    assertEq(rollup.TARGET_COMMITTEE_SIZE(), 4, "committee size");
    assertEq(rollup.VERSION(), VERSION, "version");
    assertEq(rollup.BLOCK_REWARD(), REWARD, "reward");
    assertEq(rollup.MINIMUM_STAKE(), MIN_STAKE, "minimum stake");
    assertEq(rollup.EXIT_DELAY(), EXIT_DELAY, "exit delay");
    assertEq(address(rollup.STAKING_ASSET()), address(stakingAsset), "staking asset");
    assertEq(address(rollup.FEE_ASSET()), address(feeAsset), "fee asset");
    assertEq(address(rollup.VERIFIER()), address(verifier), "verifier");
    assertEq(inbox.ROLLUP(), address(rollup), "inbox rollup");
    assertEq(outbox.ROLLUP(), address(rollup), "outbox rollup");
  }

  function test_revertWhen_beforeGenesis() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__BeforeGenesis.selector, START - 1, START));
    rollup.getSlotAt(START - 1);
  }

  function test_getBlockBeyondTipReverts() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__BlockNotInPendingChain.selector, 1, 0));
    rollup.getBlock(1);
  }
}
