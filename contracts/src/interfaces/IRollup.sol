// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IEpochProofVerifier} from "./IEpochProofVerifier.sol";
import {IInbox} from "./IInbox.sol";
import {IOutbox} from "./IOutbox.sol";
import {FeeInputs, L1FeeSnapshot} from "../libraries/FeeLib.sol";
import {GasFees} from "../libraries/HeaderLib.sol";

/** @notice An attestation: a secp256k1 signature over the EIP-191 hash of the proposal digest. */
struct Signature {
  uint8 v;
  bytes32 r;
  bytes32 s;
}

/** @notice What the rollup keeps per L2 block. */
struct BlockLog {
  bytes32 archive;
  bytes32 headerHash;
  uint256 slotNumber;
  address coinbase;
}

/** @notice One entry of `initialiseValidatorSet`. */
struct Validator {
  address attester;
  address proposer;
  address withdrawer;
  uint256 amount;
}

enum Status {
  NONE,
  VALIDATING,
  EXITING
}

/** @notice Staking record of an attester. */
struct AttesterInfo {
  address proposer;
  address withdrawer;
  uint256 stake;
  Status status;
  uint256 exitableAt;
}

/** @notice Rollup constructor arguments. Durations of slots are in seconds; windows are in slots. */
struct RollupConfig {
  IERC20 stakingAsset;
  IERC20 feeAsset;
  IEpochProofVerifier verifier;
  bytes32 genesisArchiveRoot;
  uint256 genesisTime; // 0 = block.timestamp of the deployment
  uint256 slotDuration;
  uint256 epochDuration;
  uint256 targetCommitteeSize;
  uint256 proofSubmissionWindow;
  uint256 minimumStake;
  uint256 exitDelay;
  uint256 version;
  uint256 blockReward;
  address owner;
}

/** @title IStaking @notice Deposits, withdrawals and the snapshotted active attester set. */
interface IStaking {
  event Deposit(address indexed attester, address indexed proposer, address indexed withdrawer, uint256 amount);
  event WithdrawInitiated(address indexed attester, address indexed recipient, uint256 amount);
  event WithdrawFinalised(address indexed attester, address indexed recipient, uint256 amount);
  event Slashed(address indexed attester, uint256 amount);
  event SlasherSet(address indexed slasher);

  /** @notice Stakes `amount` (pulled from the caller) for a new attester. */
  function deposit(address attester, address proposer, address withdrawer, uint256 amount) external;
  /** @notice Withdrawer only: leaves the active set now; the stake is claimable after `EXIT_DELAY`. */
  function initiateWithdraw(address attester, address recipient) external;
  /** @notice Sends an exited attester's stake to the recipient chosen at `initiateWithdraw`. */
  function finaliseWithdraw(address attester) external;

  /** @notice Slasher only: takes up to `amount` of the stake of `attester`; returns what was taken. */
  function slash(address attester, uint256 amount) external returns (uint256);
  /** @notice The only account allowed to `slash` (zero until the owner sets it). */
  function getSlasher() external view returns (address);

  /** @notice Staking record of `attester`. */
  function getInfo(address attester) external view returns (AttesterInfo memory);
  /** @notice The current active set. */
  function getAttesters() external view returns (address[] memory);
  /** @notice Size of the current active set. */
  function getAttesterCount() external view returns (uint256);
  /** @notice Size of the active set as of the end of the last L1 block with timestamp < `ts`. */
  function attesterCountAt(uint256 ts) external view returns (uint256);
  /** @notice Attester at `index` of the active set as of the end of the last L1 block with timestamp < `ts`. */
  function attesterAtIndexAt(uint256 index, uint256 ts) external view returns (address);
  /** @notice The L1 account allowed to publish for `attester`. */
  function getProposerForAttester(address attester) external view returns (address);

  function STAKING_ASSET() external view returns (IERC20);
  function MINIMUM_STAKE() external view returns (uint256);
  function EXIT_DELAY() external view returns (uint256);
}

/** @title IRollup @notice The L2 rollup: blocks, proofs, prunes, time and committees. */
interface IRollup is IStaking {
  event L2BlockProposed(uint256 indexed blockNumber, bytes32 indexed archive, bytes32[] versionedBlobHashes);
  event L2ProofVerified(uint256 indexed blockNumber, bytes32 indexed proverId);
  event PrunedPending(uint256 provenBlockNumber, uint256 pendingBlockNumber);
  event L1FeeSnapshotTaken(uint256 indexed slot, uint256 baseFee, uint256 blobFee);

  /** @notice Owner only, before any attester was ever added: stakes (from the caller) the genesis validators. */
  function initialiseValidatorSet(Validator[] calldata validators) external;
  /** @notice Owner only, once: the contract allowed to slash stake. */
  function setSlasher(address slasher) external;

  /** @notice Publishes an L2 block; see docs/l1-contracts.md for every check. */
  function propose(
    bytes calldata header,
    bytes32 archive,
    Signature[] calldata attestations,
    bytes calldata blobInput
  ) external;

  /** @notice Marks blocks `start..end` (one whole ended epoch) proven. */
  function submitEpochRootProof(uint256 start, uint256 end, bytes32[] calldata publicInputs, bytes calldata proof)
    external;

  /** @notice Drops the unproven blocks once the proof window of the oldest unproven epoch has passed. */
  function prune() external;

  /** @notice Whether `prune()` (or a `propose`) at `ts` would drop the unproven blocks. */
  function canPruneAtTime(uint256 ts) external view returns (bool);

  /** @notice Records L1's base fee and blob base fee for later slots (once per slot, from genesis on). */
  function updateL1FeeSnapshot() external;
  /** @notice Base fees a block at `ts` must carry (see docs/fees.md). */
  function getBaseFeesAt(uint256 ts) external view returns (GasFees memory);
  /** @notice The inputs of `getBaseFeesAt(ts)`. */
  function getFeeInputsAt(uint256 ts) external view returns (FeeInputs memory);
  /** @notice The L1 fee snapshots kept (the one before the latest, the latest). */
  function getL1FeeSnapshots() external view returns (L1FeeSnapshot memory previous, L1FeeSnapshot memory latest);
  /** @notice Excess mana accumulated up to block `blockNumber` of the pending chain. */
  function getExcessMana(uint256 blockNumber) external view returns (uint256);
  /** @notice The base fees of given inputs. */
  function computeBaseFees(FeeInputs calldata inputs) external pure returns (GasFees memory);

  /** @notice Stores the next seeds and the current epoch's committee. */
  function setupEpoch() external;

  /** @notice Slot and block number of a block at `ts` building on `archive`; reverts like `propose` otherwise. */
  function canProposeAtTime(uint256 ts, bytes32 archive) external view returns (uint256 slot, uint256 blockNumber);

  /** @notice The digest attesters sign (EIP-191) for a block. */
  function getProposalDigest(bytes32 headerHash, bytes32 archive) external view returns (bytes32);

  function getPendingBlockNumber() external view returns (uint256);
  function getProvenBlockNumber() external view returns (uint256);
  function getTips() external view returns (uint256 pendingBlockNumber, uint256 provenBlockNumber);
  /** @notice Archive root after block `blockNumber` (zero beyond the pending tip). */
  function archiveAt(uint256 blockNumber) external view returns (bytes32);
  function getBlock(uint256 blockNumber) external view returns (BlockLog memory);

  function getCurrentSlot() external view returns (uint256);
  function getCurrentEpoch() external view returns (uint256);
  function getTimestampForSlot(uint256 slot) external view returns (uint256);
  function getSlotAt(uint256 ts) external view returns (uint256);
  function getEpochAt(uint256 ts) external view returns (uint256);
  function getEpochAtSlot(uint256 slot) external view returns (uint256);

  function getEpochCommittee(uint256 epoch) external view returns (address[] memory);
  function getCurrentEpochCommittee() external view returns (address[] memory);
  /** @notice Attester whose proposer may publish in the current slot (zero with an empty committee). */
  function getCurrentProposer() external view returns (address);
  /** @notice Attester whose proposer may publish in the slot of `ts` (zero with an empty committee). */
  function getProposerAt(uint256 ts) external view returns (address);
  function getSampleSeed(uint256 epoch) external view returns (uint256);
  function getSampleTimestamp(uint256 epoch) external view returns (uint256);

  function GENESIS_TIME() external view returns (uint256);
  function SLOT_DURATION() external view returns (uint256);
  function EPOCH_DURATION() external view returns (uint256);
  function TARGET_COMMITTEE_SIZE() external view returns (uint256);
  function PROOF_SUBMISSION_WINDOW() external view returns (uint256);
  function VERSION() external view returns (uint256);
  function BLOCK_REWARD() external view returns (uint256);
  function L1_BLOCK_AT_GENESIS() external view returns (uint256);
  function INBOX() external view returns (IInbox);
  function OUTBOX() external view returns (IOutbox);
  function FEE_ASSET() external view returns (IERC20);
  function VERIFIER() external view returns (IEpochProofVerifier);
}
