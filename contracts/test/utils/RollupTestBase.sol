// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {FeeAsset} from "../../src/FeeAsset.sol";
import {Inbox} from "../../src/Inbox.sol";
import {Outbox} from "../../src/Outbox.sol";
import {Rollup} from "../../src/Rollup.sol";
import {StakingAsset} from "../../src/StakingAsset.sol";
import {IEpochProofVerifier} from "../../src/interfaces/IEpochProofVerifier.sol";
import {RollupConfig, Signature, Validator} from "../../src/interfaces/IRollup.sol";
import {Hash} from "../../src/libraries/Hash.sol";
import {
  AppendOnlyTreeSnapshot, ContentCommitment, GasFees, GlobalVariables, Header
} from "../../src/libraries/HeaderLib.sol";
import {MockVerifier} from "../../src/mocks/MockVerifier.sol";
import {Test} from "./Test.sol";

/// @notice Deploys a rollup with genesis validators and builds valid, signed proposals on a real archive tree.
abstract contract RollupTestBase is Test {
  uint256 internal constant SLOT = 12;
  uint256 internal constant EPOCH = 4; // slots
  uint256 internal constant WINDOW = 8; // slots
  uint256 internal constant MIN_STAKE = 100e18;
  uint256 internal constant EXIT_DELAY = 1 days;
  uint256 internal constant VERSION = 7;
  uint256 internal constant REWARD = 10e18;
  uint256 internal constant START = 1_700_000_000;
  uint256 internal constant ARCHIVE_HEIGHT = 29;
  bytes32 internal constant GENESIS_HEADER_HASH = bytes32(uint256(0xdead));
  bytes32 internal constant PROVER_ID = bytes32(uint256(0x9900));

  address internal owner = address(0xA11CE);
  StakingAsset internal stakingAsset;
  FeeAsset internal feeAsset;
  IEpochProofVerifier internal verifier;
  Rollup internal rollup;
  Inbox internal inbox;
  Outbox internal outbox;

  mapping(address attester => uint256) internal keyOf;
  bytes32[30] internal zeros;
  // archive leaves of the test's view of the pending chain: leaf i = header hash of block i
  bytes32[] internal archiveLeaves;

  struct Proposal {
    Header header;
    bytes32 archive;
    Signature[] attestations;
    bytes32[] blobHashes; // passed in blobInput
    bytes32[] txBlobHashes; // the transaction's blobs (vm.blobhashes)
    address sender;
  }

  function _deploy(uint256 genesisValidators, uint256 committeeSize) internal {
    _deployWith(genesisValidators, committeeSize, new MockVerifier());
  }

  function _deployWith(uint256 genesisValidators, uint256 committeeSize, IEpochProofVerifier verifier_) internal {
    vm.warp(START);
    for (uint256 h = 0; h < ARCHIVE_HEIGHT; h++) {
      zeros[h + 1] = Hash.hashPair(zeros[h], zeros[h]);
    }
    stakingAsset = new StakingAsset(owner);
    feeAsset = new FeeAsset(owner);
    verifier = verifier_;
    vm.startPrank(owner);
    stakingAsset.addMinter(address(this));
    feeAsset.addMinter(address(this));
    vm.stopPrank();

    delete archiveLeaves;
    archiveLeaves.push(GENESIS_HEADER_HASH);
    (bytes32 genesisArchive,) = _treeWalk(archiveLeaves, 0);
    rollup = new Rollup(
      RollupConfig({
        stakingAsset: stakingAsset,
        feeAsset: feeAsset,
        verifier: verifier,
        genesisArchiveRoot: genesisArchive,
        genesisTime: 0,
        slotDuration: SLOT,
        epochDuration: EPOCH,
        targetCommitteeSize: committeeSize,
        proofSubmissionWindow: WINDOW,
        minimumStake: MIN_STAKE,
        exitDelay: EXIT_DELAY,
        version: VERSION,
        blockReward: REWARD,
        owner: owner
      })
    );
    inbox = Inbox(address(rollup.INBOX()));
    outbox = Outbox(address(rollup.OUTBOX()));

    Validator[] memory validators = new Validator[](genesisValidators);
    for (uint256 i = 0; i < genesisValidators; i++) {
      uint256 key = _attesterKey(i);
      address attester = vm.addr(key);
      keyOf[attester] = key;
      validators[i] = Validator(attester, _proposerOf(key), _withdrawerOf(key), MIN_STAKE);
    }
    stakingAsset.mint(owner, MIN_STAKE * genesisValidators);
    vm.startPrank(owner);
    stakingAsset.approve(address(rollup), MIN_STAKE * genesisValidators);
    rollup.initialiseValidatorSet(validators);
    vm.stopPrank();
  }

  function _attesterKey(uint256 i) internal pure returns (uint256) {
    return 0xA000 + i + 1;
  }

  function _proposerOf(uint256 key) internal pure returns (address) {
    return vm.addr(key + 0x1000);
  }

  function _withdrawerOf(uint256 key) internal pure returns (address) {
    return address(uint160(key + 0x2000));
  }

  /// @dev Stakes a new validator with attester key `key`; returns the attester.
  function _addValidator(uint256 key) internal returns (address attester) {
    attester = vm.addr(key);
    keyOf[attester] = key;
    stakingAsset.mint(address(this), MIN_STAKE);
    stakingAsset.approve(address(rollup), MIN_STAKE);
    rollup.deposit(attester, _proposerOf(key), _withdrawerOf(key), MIN_STAKE);
  }

  function _warpToSlot(uint256 slot) internal {
    vm.warp(rollup.getTimestampForSlot(slot));
  }

  // ---------- archive tree ----------

  /// @dev Root of the height-29 tree over `leaves` and the sibling path of leaf `index`.
  function _treeWalk(bytes32[] memory leaves, uint256 index) internal view returns (bytes32 root, bytes32[] memory path) {
    path = new bytes32[](ARCHIVE_HEIGHT);
    bytes32[] memory level = leaves;
    uint256 len = leaves.length;
    for (uint256 h = 0; h < ARCHIVE_HEIGHT; h++) {
      uint256 sibling = index ^ 1;
      path[h] = sibling < len ? level[sibling] : zeros[h];
      uint256 nextLen = (len + 1) / 2;
      bytes32[] memory next = new bytes32[](nextLen);
      for (uint256 i = 0; i < nextLen; i++) {
        next[i] = Hash.hashPair(level[2 * i], 2 * i + 1 < len ? level[2 * i + 1] : zeros[h]);
      }
      level = next;
      len = nextLen;
      index >>= 1;
    }
    root = level[0];
  }

  /// @dev Archive root after block `blockNumber` with header hash `headerHash` on top of the known leaves.
  function _archiveWith(uint256 blockNumber, bytes32 headerHash) internal view returns (bytes32 root) {
    bytes32[] memory leaves = new bytes32[](blockNumber + 1);
    // Unknown leaves (only in deliberately wrong headers) stay zero.
    for (uint256 i = 0; i < blockNumber && i < archiveLeaves.length; i++) {
      leaves[i] = archiveLeaves[i];
    }
    leaves[blockNumber] = headerHash;
    (root,) = _treeWalk(leaves, blockNumber);
  }

  // ---------- proposals ----------

  function _blobHashesFor(uint256 blockNumber) internal pure returns (bytes32[] memory hashes) {
    hashes = new bytes32[](2);
    hashes[0] = bytes32((uint256(1) << 248) | (blockNumber << 8) | 1);
    hashes[1] = bytes32((uint256(1) << 248) | (blockNumber << 8) | 2);
  }

  function _blobInput(bytes32[] memory hashes) internal pure returns (bytes memory) {
    return abi.encodePacked(uint8(hashes.length), hashes);
  }

  function _headerFor(uint256 blockNumber, uint256 slot) internal view returns (Header memory h) {
    h.lastArchive = AppendOnlyTreeSnapshot(rollup.archiveAt(blockNumber - 1), uint32(blockNumber));
    h.contentCommitment = ContentCommitment({
      numTxs: 1,
      blobsHash: Hash.sha256ToField(abi.encodePacked(_blobHashesFor(blockNumber))),
      inHash: inbox.getRoot(blockNumber),
      outHash: bytes32(uint256(0x0ff0) + blockNumber)
    });
    h.globalVariables = GlobalVariables({
      chainId: block.chainid,
      version: VERSION,
      blockNumber: blockNumber,
      slotNumber: slot,
      timestamp: rollup.getTimestampForSlot(slot),
      coinbase: address(uint160(0xC0FFEE00 + blockNumber)),
      feeRecipient: bytes32(uint256(0xFEE)),
      gasFees: rollup.getBaseFeesAt(rollup.getTimestampForSlot(slot))
    });
    h.totalFees = 3;
    h.totalManaUsed = 4;
  }

  /// @dev Header for the next block at `slot`, on top of the current pending tip.
  function _nextHeader(uint256 slot) internal view returns (Header memory) {
    return _headerFor(rollup.getPendingBlockNumber() + 1, slot);
  }

  /// @dev Computes the archive, signs with a quorum of the slot's committee (in order) and finds the sender.
  function _finalize(Header memory h) internal view returns (Proposal memory p) {
    p.header = h;
    uint256 blockNumber = h.globalVariables.blockNumber;
    bytes32 headerHash = Hash.sha256ToField(abi.encode(h));
    p.archive = _archiveWith(blockNumber, headerHash);
    p.blobHashes = _blobHashesFor(blockNumber);
    p.txBlobHashes = p.blobHashes;
    uint256 slot = h.globalVariables.slotNumber;
    address[] memory committee = rollup.getEpochCommittee(slot / EPOCH);
    uint256 needed = committee.length == 0 ? 0 : (2 * committee.length) / 3 + 1;
    p.attestations = new Signature[](needed);
    bytes32 digest = rollup.getProposalDigest(headerHash, p.archive);
    for (uint256 i = 0; i < needed; i++) {
      p.attestations[i] = _sign(keyOf[committee[i]], digest);
    }
    p.sender = committee.length == 0
      ? address(0xBEEF)
      : rollup.getProposerForAttester(rollup.getProposerAt(rollup.getTimestampForSlot(slot)));
  }

  function _sign(uint256 key, bytes32 digest) internal pure returns (Signature memory) {
    (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, MessageHashUtils.toEthSignedMessageHash(digest));
    return Signature(v, r, s);
  }

  function _digestOf(Proposal memory p) internal view returns (bytes32) {
    return rollup.getProposalDigest(Hash.sha256ToField(abi.encode(p.header)), p.archive);
  }

  /// @dev Sends `p` (no bookkeeping: use for expected reverts).
  function _submit(Proposal memory p) internal {
    vm.blobhashes(p.txBlobHashes);
    vm.prank(p.sender);
    rollup.propose(abi.encode(p.header), p.archive, p.attestations, _blobInput(p.blobHashes));
  }

  /// @dev Sends `p`, which must succeed, and records its header hash in the test's archive.
  function _proposeOk(Proposal memory p) internal {
    _submit(p);
    uint256 blockNumber = p.header.globalVariables.blockNumber;
    while (archiveLeaves.length > blockNumber) archiveLeaves.pop();
    archiveLeaves.push(Hash.sha256ToField(abi.encode(p.header)));
    assertEq(rollup.getPendingBlockNumber(), blockNumber, "pending after propose");
    assertEq(rollup.archiveAt(blockNumber), p.archive, "archive after propose");
  }

  /// @dev Warps to `slot` and proposes the next block there.
  function _proposeAtSlot(uint256 slot) internal {
    _warpToSlot(slot);
    _proposeOk(_finalize(_nextHeader(slot)));
  }

  function _publicInputs(uint256 start, uint256 end, uint256 epoch) internal view returns (bytes32[] memory inputs) {
    inputs = new bytes32[](4);
    inputs[0] = rollup.archiveAt(start - 1);
    inputs[1] = rollup.archiveAt(end);
    inputs[2] = bytes32(epoch);
    inputs[3] = PROVER_ID;
  }
}
