// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Staking} from "./core/Staking.sol";
import {Inbox} from "./Inbox.sol";
import {Outbox} from "./Outbox.sol";
import {IEpochProofVerifier} from "./interfaces/IEpochProofVerifier.sol";
import {IInbox} from "./interfaces/IInbox.sol";
import {IOutbox} from "./interfaces/IOutbox.sol";
import {BlockLog, IRollup, RollupConfig, Signature, Validator} from "./interfaces/IRollup.sol";
import {Errors} from "./libraries/Errors.sol";
import {Hash} from "./libraries/Hash.sol";
import {FeeInputs, FeeLib, L1FeeSnapshot} from "./libraries/FeeLib.sol";
import {GasFees, Header, HeaderLib} from "./libraries/HeaderLib.sol";
import {ValidatorSelectionLib} from "./libraries/ValidatorSelectionLib.sol";

/**
 * @title Rollup
 * @notice The L2 chain on L1: block proposals checked against the slot's proposer and its committee's
 *         attestations, epoch proofs, prunes of unproven epochs, and the staking set the committees come from.
 *         docs/l1-contracts.md is the specification the node relies on.
 */
contract Rollup is IRollup, Staking, Ownable {
  using SafeERC20 for IERC20;
  using ValidatorSelectionLib for ValidatorSelectionLib.Storage;
  using FeeLib for FeeLib.Storage;

  bytes32 internal constant PROPOSAL_DOMAIN = keccak256("AztecProposal");

  uint256 public immutable GENESIS_TIME;
  uint256 public immutable SLOT_DURATION;
  uint256 public immutable EPOCH_DURATION;
  uint256 public immutable TARGET_COMMITTEE_SIZE;
  uint256 public immutable PROOF_SUBMISSION_WINDOW;
  uint256 public immutable VERSION;
  uint256 public immutable BLOCK_REWARD;
  uint256 public immutable L1_BLOCK_AT_GENESIS;
  IInbox public immutable INBOX;
  IOutbox public immutable OUTBOX;
  IERC20 public immutable FEE_ASSET;
  IEpochProofVerifier public immutable VERIFIER;

  ValidatorSelectionLib.Storage internal _selection;
  mapping(uint256 blockNumber => BlockLog) internal _blocks;
  uint256 internal _pending;
  uint256 internal _proven;
  FeeLib.Storage internal _fees;

  constructor(RollupConfig memory config)
    Staking(config.stakingAsset, config.minimumStake, config.exitDelay)
    Ownable(config.owner)
  {
    if (config.slotDuration == 0 || config.epochDuration == 0) revert Errors.Rollup__InvalidConfig();
    GENESIS_TIME = config.genesisTime == 0 ? block.timestamp : config.genesisTime;
    SLOT_DURATION = config.slotDuration;
    EPOCH_DURATION = config.epochDuration;
    TARGET_COMMITTEE_SIZE = config.targetCommitteeSize;
    PROOF_SUBMISSION_WINDOW = config.proofSubmissionWindow;
    VERSION = config.version;
    BLOCK_REWARD = config.blockReward;
    L1_BLOCK_AT_GENESIS = block.number;
    FEE_ASSET = config.feeAsset;
    VERIFIER = config.verifier;
    INBOX = new Inbox(address(this));
    OUTBOX = new Outbox(address(this));
    // Block 0 is the genesis state: it has an archive but occupies no slot.
    _blocks[0].archive = config.genesisArchiveRoot;
    _selection.initSeeds();
    _fees.initialise();
  }

  /** @notice Owner only, while no attester was ever added: stakes (from the caller) the genesis validators. */
  function initialiseValidatorSet(Validator[] calldata validators) external onlyOwner {
    _initialiseValidatorSet(validators);
  }

  /** @notice Owner only, once: the contract allowed to slash stake (the Slasher, deployed after the rollup). */
  function setSlasher(address slasher) external onlyOwner {
    _setSlasher(slasher);
  }

  /**
   * @notice Publishes L2 block `pending + 1` for the current slot.
   * @param header `abi.encode(Header)` (800 bytes)
   * @param archive archive root after this block
   * @param attestations committee signatures in committee order
   * @param blobInput `abi.encodePacked(uint8 n, bytes32[n] versionedHashes)`
   */
  function propose(
    bytes calldata header,
    bytes32 archive,
    Signature[] calldata attestations,
    bytes calldata blobInput
  ) external {
    if (_canPruneAt(block.timestamp)) _prune();
    setupEpoch();
    if (header.length != HeaderLib.HEADER_LENGTH) {
      revert Errors.Rollup__InvalidHeaderLength(HeaderLib.HEADER_LENGTH, header.length);
    }
    Header memory h = HeaderLib.decode(header);
    uint256 blockNumber = _validateHeader(h);
    bytes32 headerHash = Hash.sha256ToField(header);
    _validateProposer(h.globalVariables.slotNumber, headerHash, archive, attestations);
    bytes32[] memory blobHashes = _validateBlobs(blobInput, h.contentCommitment.blobsHash);
    bytes32 inHash = INBOX.consume(blockNumber);
    if (inHash != h.contentCommitment.inHash) revert Errors.Rollup__InvalidInHash(inHash, h.contentCommitment.inHash);
    _validateBaseFees(h, blockNumber - 1);

    _pending = blockNumber;
    _fees.recordManaUsed(blockNumber, h.totalManaUsed);
    updateL1FeeSnapshot();
    _blocks[blockNumber] = BlockLog({
      archive: archive,
      headerHash: headerHash,
      slotNumber: h.globalVariables.slotNumber,
      coinbase: h.globalVariables.coinbase
    });
    OUTBOX.insert(blockNumber, h.contentCommitment.outHash);
    emit L2BlockProposed(blockNumber, archive, blobHashes);
  }

  /**
   * @notice Proves blocks `start..end`, which must be exactly the blocks of one ended epoch, within its window.
   * @param publicInputs `[archiveAt(start - 1), archiveAt(end), bytes32(epoch), proverId]`
   */
  function submitEpochRootProof(uint256 start, uint256 end, bytes32[] calldata publicInputs, bytes calldata proof)
    external
  {
    uint256 epoch = _validateEpochRange(start, end);
    if (publicInputs.length != 4) revert Errors.Rollup__InvalidPublicInputsLength(4, publicInputs.length);
    // The fourth input, the prover id, is free.
    bytes32[3] memory expected = [_blocks[start - 1].archive, _blocks[end].archive, bytes32(epoch)];
    for (uint256 i = 0; i < 3; i++) {
      if (publicInputs[i] != expected[i]) revert Errors.Rollup__InvalidPublicInput(i, expected[i], publicInputs[i]);
    }
    if (!VERIFIER.verify(proof, publicInputs)) revert Errors.Rollup__InvalidProof();
    _proven = end;
    emit L2ProofVerified(end, publicInputs[3]);
    _payRewards(start, end);
  }

  /** @notice Falls the pending chain back to the proven tip once the oldest unproven epoch's window passed. */
  function prune() external {
    if (!_canPruneAt(block.timestamp)) revert Errors.Rollup__NothingToPrune();
    _prune();
  }

  /**
   * @notice Records L1's base fee and blob base fee, at most once per slot (from genesis on): they price the blocks
   *         of later slots. `propose` calls it; anyone may, so fees follow L1 while no block lands.
   */
  function updateL1FeeSnapshot() public {
    if (block.timestamp < GENESIS_TIME) return;
    if (_fees.snapshot(getCurrentSlot())) emit L1FeeSnapshotTaken(getCurrentSlot(), block.basefee, block.blobbasefee);
  }

  /** @notice Stores the seed of epoch `current + 2` (if absent) and the current epoch's committee (once). */
  function setupEpoch() public {
    uint256 epoch = getCurrentEpoch();
    _selection.setupEpoch(_attesters, epoch, getSampleTimestamp(epoch), TARGET_COMMITTEE_SIZE);
  }

  /**
   * @notice For a block at `ts` building on `archive`: its slot and block number. Reverts with the errors of
   *         `propose` when the slot already has a block or `archive` is not the tip (after a prune due at `ts`).
   */
  function canProposeAtTime(uint256 ts, bytes32 archive) external view returns (uint256 slot, uint256 blockNumber) {
    slot = getSlotAt(ts);
    uint256 pending = _canPruneAt(ts) ? _proven : _pending;
    _checkSlotFree(pending, slot);
    bytes32 tip = _blocks[pending].archive;
    if (archive != tip) revert Errors.Rollup__InvalidArchive(tip, archive);
    blockNumber = pending + 1;
  }

  /** @notice Whether the unproven blocks may be pruned at `ts` (their epoch's proof window has passed). */
  function canPruneAtTime(uint256 ts) external view returns (bool) {
    return _canPruneAt(ts);
  }

  /**
   * @notice Base fees a block at `ts` (from the current slot on) must carry: on the pending tip, or on the proven
   *         tip when a prune is due at `ts`. See docs/fees.md.
   */
  function getBaseFeesAt(uint256 ts) external view returns (GasFees memory) {
    (uint128 da, uint128 l2) = FeeLib.baseFees(getFeeInputsAt(ts));
    return GasFees(da, l2);
  }

  /** @notice What `getBaseFeesAt(ts)` is computed from: the L1 prices of the slot's snapshot, the excess mana. */
  function getFeeInputsAt(uint256 ts) public view returns (FeeInputs memory) {
    return _fees.inputsFor(getSlotAt(ts), _canPruneAt(ts) ? _proven : _pending);
  }

  /** @notice The two L1 fee snapshots kept: the one before the latest, and the latest. */
  function getL1FeeSnapshots() external view returns (L1FeeSnapshot memory previous, L1FeeSnapshot memory latest) {
    return (_fees.previous, _fees.latest);
  }

  /** @notice Mana used above target, accumulated up to block `blockNumber` of the pending chain. */
  function getExcessMana(uint256 blockNumber) external view returns (uint256) {
    if (blockNumber > _pending) revert Errors.Rollup__BlockNotInPendingChain(blockNumber, _pending);
    return _fees.excessManaAfter[blockNumber];
  }

  /** @notice `FeeLib.baseFees` of given inputs (what the node's mirror of it is tested against). */
  function computeBaseFees(FeeInputs calldata inputs) external pure returns (GasFees memory) {
    (uint128 da, uint128 l2) = FeeLib.baseFees(inputs);
    return GasFees(da, l2);
  }

  /** @notice `keccak256(abi.encode(keccak256("AztecProposal"), chainid, rollup, headerHash, archive))`. */
  function getProposalDigest(bytes32 headerHash, bytes32 archive) public view returns (bytes32) {
    return keccak256(abi.encode(PROPOSAL_DOMAIN, block.chainid, address(this), headerHash, archive));
  }

  /** @notice Number of the last block of the pending chain. */
  function getPendingBlockNumber() external view returns (uint256) {
    return _pending;
  }

  /** @notice Number of the last proven block. */
  function getProvenBlockNumber() external view returns (uint256) {
    return _proven;
  }

  /** @notice The pending and proven tips. */
  function getTips() external view returns (uint256 pendingBlockNumber, uint256 provenBlockNumber) {
    return (_pending, _proven);
  }

  /** @notice Archive root after block `blockNumber`; zero beyond the pending tip. */
  function archiveAt(uint256 blockNumber) external view returns (bytes32) {
    return blockNumber <= _pending ? _blocks[blockNumber].archive : bytes32(0);
  }

  /** @notice Stored record of block `blockNumber` of the pending chain. */
  function getBlock(uint256 blockNumber) external view returns (BlockLog memory) {
    if (blockNumber > _pending) revert Errors.Rollup__BlockNotInPendingChain(blockNumber, _pending);
    return _blocks[blockNumber];
  }

  /** @notice The slot of the current L1 timestamp. */
  function getCurrentSlot() public view returns (uint256) {
    return getSlotAt(block.timestamp);
  }

  /** @notice The epoch of the current L1 timestamp. */
  function getCurrentEpoch() public view returns (uint256) {
    return getSlotAt(block.timestamp) / EPOCH_DURATION;
  }

  /** @notice `GENESIS_TIME + slot * SLOT_DURATION`. */
  function getTimestampForSlot(uint256 slot) public view returns (uint256) {
    return GENESIS_TIME + slot * SLOT_DURATION;
  }

  /** @notice `(ts - GENESIS_TIME) / SLOT_DURATION`; reverts before genesis. */
  function getSlotAt(uint256 ts) public view returns (uint256) {
    if (ts < GENESIS_TIME) revert Errors.Rollup__BeforeGenesis(ts, GENESIS_TIME);
    return (ts - GENESIS_TIME) / SLOT_DURATION;
  }

  /** @notice The epoch of timestamp `ts`. */
  function getEpochAt(uint256 ts) external view returns (uint256) {
    return getSlotAt(ts) / EPOCH_DURATION;
  }

  /** @notice The epoch of `slot`. */
  function getEpochAtSlot(uint256 slot) external view returns (uint256) {
    return slot / EPOCH_DURATION;
  }

  /** @notice Committee of `epoch` (sampled from the set frozen at `getSampleTimestamp(epoch)`). */
  function getEpochCommittee(uint256 epoch) public view returns (address[] memory) {
    return _selection.getCommittee(_attesters, epoch, getSampleTimestamp(epoch), TARGET_COMMITTEE_SIZE);
  }

  /** @notice Committee of the current epoch. */
  function getCurrentEpochCommittee() external view returns (address[] memory) {
    return getEpochCommittee(getCurrentEpoch());
  }

  /** @notice Attester proposing in the current slot (zero with an empty committee). */
  function getCurrentProposer() external view returns (address) {
    return _proposerAtSlot(getCurrentSlot());
  }

  /** @notice Attester proposing in the slot of `ts` (zero with an empty committee). */
  function getProposerAt(uint256 ts) external view returns (address) {
    return _proposerAtSlot(getSlotAt(ts));
  }

  /** @notice Seed of `epoch`: the last seed checkpoint with key <= `epoch`. */
  function getSampleSeed(uint256 epoch) public view returns (uint256) {
    return _selection.getSeed(epoch);
  }

  /** @notice `GENESIS_TIME + max(epoch - 1, 0) * EPOCH_DURATION * SLOT_DURATION`. */
  function getSampleTimestamp(uint256 epoch) public view returns (uint256) {
    return GENESIS_TIME + (epoch == 0 ? 0 : epoch - 1) * EPOCH_DURATION * SLOT_DURATION;
  }

  function _beforeSetChange() internal override {
    setupEpoch();
  }

  /** @dev Header checks, in the documented order; returns the block number. */
  function _validateHeader(Header memory h) internal view returns (uint256 blockNumber) {
    if (h.globalVariables.chainId != block.chainid) {
      revert Errors.Rollup__InvalidChainId(block.chainid, h.globalVariables.chainId);
    }
    if (h.globalVariables.version != VERSION) revert Errors.Rollup__InvalidVersion(VERSION, h.globalVariables.version);
    uint256 slot = getCurrentSlot();
    if (h.globalVariables.slotNumber != slot) revert Errors.Rollup__InvalidSlotNumber(slot, h.globalVariables.slotNumber);
    uint256 ts = getTimestampForSlot(slot);
    if (h.globalVariables.timestamp != ts) revert Errors.Rollup__InvalidTimestamp(ts, h.globalVariables.timestamp);
    uint256 pending = _pending;
    _checkSlotFree(pending, slot);
    blockNumber = pending + 1;
    if (h.globalVariables.blockNumber != blockNumber) {
      revert Errors.Rollup__InvalidBlockNumber(blockNumber, h.globalVariables.blockNumber);
    }
    bytes32 tip = _blocks[pending].archive;
    if (h.lastArchive.root != tip) revert Errors.Rollup__InvalidArchive(tip, h.lastArchive.root);
    if (h.lastArchive.nextAvailableLeafIndex != blockNumber) {
      revert Errors.Rollup__InvalidArchiveLeafIndex(blockNumber, h.lastArchive.nextAvailableLeafIndex);
    }
  }

  /** @dev The header's fees must be the Rollup's own for its slot on `parent`. */
  function _validateBaseFees(Header memory h, uint256 parent) internal view {
    (uint128 da, uint128 l2) = FeeLib.baseFees(_fees.inputsFor(h.globalVariables.slotNumber, parent));
    GasFees memory got = h.globalVariables.gasFees;
    if (got.feePerDaGas != da || got.feePerL2Gas != l2) {
      revert Errors.Rollup__InvalidBaseFees(GasFees(da, l2), got);
    }
  }

  /** @dev One block per slot; the genesis block occupies no slot, so block 1 may use slot 0. */
  function _checkSlotFree(uint256 pending, uint256 slot) internal view {
    if (pending == 0) return;
    uint256 lastSlot = _blocks[pending].slotNumber;
    if (slot <= lastSlot) revert Errors.Rollup__SlotAlreadyInChain(lastSlot, slot);
  }

  /** @dev Sender must be the slot proposer's registered proposer, backed by a committee quorum. */
  function _validateProposer(uint256 slot, bytes32 headerHash, bytes32 archive, Signature[] calldata attestations)
    internal
    view
  {
    uint256 epoch = slot / EPOCH_DURATION;
    address[] memory committee = getEpochCommittee(epoch);
    // An empty committee (no stakers) leaves the chain open to anyone, so it cannot stall.
    if (committee.length == 0) return;
    uint256 index = ValidatorSelectionLib.proposerIndex(epoch, slot, _selection.getSeed(epoch), committee.length);
    address expected = _info[committee[index]].proposer;
    if (msg.sender != expected) revert Errors.Rollup__InvalidProposer(expected, msg.sender);
    ValidatorSelectionLib.verifyAttestations(committee, getProposalDigest(headerHash, archive), attestations);
  }

  /** @dev Checks the versioned blob hashes against the transaction's blobs and the header's blobsHash. */
  function _validateBlobs(bytes calldata blobInput, bytes32 blobsHash) internal view returns (bytes32[] memory hashes) {
    if (blobInput.length == 0) revert Errors.Rollup__InvalidBlobInput(0);
    uint256 n = uint8(blobInput[0]);
    if (blobInput.length != 1 + 32 * n) revert Errors.Rollup__InvalidBlobInput(blobInput.length);
    hashes = new bytes32[](n);
    for (uint256 i = 0; i < n; i++) {
      bytes32 given = bytes32(blobInput[1 + 32 * i:33 + 32 * i]);
      bytes32 actual = blobhash(i);
      if (actual != given) revert Errors.Rollup__InvalidBlobHash(i, actual, given);
      hashes[i] = given;
    }
    bytes32 computed = Hash.sha256ToField(blobInput[1:]);
    if (computed != blobsHash) revert Errors.Rollup__InvalidBlobsHash(computed, blobsHash);
  }

  /** @dev Returns the epoch of blocks `start..end` after checking they are one whole ended epoch, in its window. */
  function _validateEpochRange(uint256 start, uint256 end) internal view returns (uint256 epoch) {
    uint256 pending = _pending;
    if (start != _proven + 1) revert Errors.Rollup__InvalidProofStart(_proven + 1, start);
    if (end < start || end > pending) revert Errors.Rollup__InvalidProofEnd(start, pending, end);
    epoch = _blocks[start].slotNumber / EPOCH_DURATION;
    uint256 endEpoch = _blocks[end].slotNumber / EPOCH_DURATION;
    if (endEpoch != epoch) revert Errors.Rollup__ProofSpansEpochs(epoch, endEpoch);
    uint256 currentSlot = getCurrentSlot();
    if (currentSlot / EPOCH_DURATION <= epoch) revert Errors.Rollup__EpochNotEnded(epoch, currentSlot / EPOCH_DURATION);
    if (end < pending && _blocks[end + 1].slotNumber / EPOCH_DURATION == epoch) {
      revert Errors.Rollup__EpochIncomplete(epoch, end + 1);
    }
    uint256 deadline = _proofDeadline(epoch);
    if (currentSlot >= deadline) revert Errors.Rollup__ProofWindowPassed(epoch, deadline, currentSlot);
  }

  /** @dev Pays `BLOCK_REWARD` of the fee asset per proven block to its coinbase while the rollup holds enough. */
  function _payRewards(uint256 start, uint256 end) internal {
    uint256 reward = BLOCK_REWARD;
    if (reward == 0 || address(FEE_ASSET) == address(0)) return;
    for (uint256 b = start; b <= end; b++) {
      address coinbase = _blocks[b].coinbase;
      if (coinbase == address(0) || FEE_ASSET.balanceOf(address(this)) < reward) continue;
      FEE_ASSET.safeTransfer(coinbase, reward);
    }
  }

  /** @dev First slot at which the proof of `epoch` is too late. */
  function _proofDeadline(uint256 epoch) internal view returns (uint256) {
    return (epoch + 1) * EPOCH_DURATION + PROOF_SUBMISSION_WINDOW;
  }

  function _canPruneAt(uint256 ts) internal view returns (bool) {
    uint256 proven = _proven;
    if (_pending <= proven) return false;
    uint256 oldestUnprovenEpoch = _blocks[proven + 1].slotNumber / EPOCH_DURATION;
    return getSlotAt(ts) >= _proofDeadline(oldestUnprovenEpoch);
  }

  function _prune() internal {
    emit PrunedPending(_proven, _pending);
    _pending = _proven;
  }

  function _proposerAtSlot(uint256 slot) internal view returns (address) {
    uint256 epoch = slot / EPOCH_DURATION;
    address[] memory committee = getEpochCommittee(epoch);
    if (committee.length == 0) return address(0);
    return committee[ValidatorSelectionLib.proposerIndex(epoch, slot, _selection.getSeed(epoch), committee.length)];
  }
}
