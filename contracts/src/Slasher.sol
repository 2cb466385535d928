// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IRollup, Signature, Status} from "./interfaces/IRollup.sol";
import {SlashFactory} from "./SlashFactory.sol";
import {ISlashPayload, SlashAction} from "./SlashPayload.sol";
import {Errors} from "./libraries/Errors.sol";
import {Hash} from "./libraries/Hash.sol";
import {HeaderLib} from "./libraries/HeaderLib.sol";

/** @notice Slasher constructor arguments. Rounds are `roundSize` slots long. */
struct SlasherConfig {
  uint256 penalty; // stake taken per proven equivocation
  uint256 reporterRewardBps; // share of it paid to the reporter
  uint256 quorum; // signals a payload needs within a round (more than half the round)
  uint256 roundSize; // slots
  uint256 executionDelayRounds; // whole rounds after the round ends before it may be executed (veto window)
  uint256 lifetimeRounds; // rounds after that during which it may still be executed
  address vetoer; // may veto a payload before it is executed
}

/** @notice One signed block digest as gossiped: the header (800 bytes), the archive after it, the signature. */
struct SignedBlock {
  bytes header;
  bytes32 archive;
  Signature signature;
}

/**
 * @title Slasher
 * @notice Slashes equivocation, provable by signatures alone: two different proposal digests signed by one
 *         registered attester for one slot. Both digests are recomputed here as the Rollup computes what its
 *         committee signs (`getProposalDigest(sha256ToField(header), archive)`), so a signature over anything else
 *         does not count. The offence is a duplicate proposal when the signer is that slot's proposer and a duplicate
 *         attestation otherwise (proposals and attestations sign the same digest, so one pair of signatures is one
 *         offence, never two). Each (attester, slot, offence) is slashed once: `PENALTY` of stake (or what is left),
 *         of which `REPORTER_REWARD_BPS / 10000` goes to the caller; the rest stays in this contract, which has no
 *         way to move it (burnt).
 *
 *         Offences that signatures cannot prove (inactivity) are slashed by proposer votes, as in Aztec's model: in
 *         each round of `ROUND_SIZE` slots the proposer of each slot may signal one `ISlashPayload`; the round's
 *         leading payload with at least `QUORUM` signals may be executed by anyone once `EXECUTION_DELAY_ROUNDS`
 *         whole rounds have passed after its round, for `LIFETIME_ROUNDS` rounds, unless `VETOER` vetoed it.
 *         Payloads come from `SLASH_FACTORY` (one address per list of actions); any `ISlashPayload` is accepted.
 */
contract Slasher {
  using SafeERC20 for IERC20;

  enum Offence {
    DUPLICATE_PROPOSAL,
    DUPLICATE_ATTESTATION
  }

  uint256 internal constant BPS = 10_000;

  IRollup public immutable ROLLUP;
  /** @notice Stake taken per offence. */
  uint256 public immutable PENALTY;
  /** @notice Share of the stake taken paid to the reporter, in basis points. */
  uint256 public immutable REPORTER_REWARD_BPS;

  /** @notice Signals a payload needs within a round. */
  uint256 public immutable QUORUM;
  /** @notice Slots per voting round. */
  uint256 public immutable ROUND_SIZE;
  /** @notice Whole rounds after a round ends before its payload may be executed (the veto window). */
  uint256 public immutable EXECUTION_DELAY_ROUNDS;
  /** @notice Rounds after that during which it may still be executed. */
  uint256 public immutable LIFETIME_ROUNDS;
  /** @notice May veto a payload before it is executed. */
  address public immutable VETOER;
  /**
   * @notice Where nodes deploy the payloads they signal (created here, at this contract's nonce 1): one address per
   *         list of actions, so nodes that compute the same offenders agree on the payload.
   */
  SlashFactory public immutable SLASH_FACTORY;

  mapping(bytes32 key => bool) internal _slashed;
  mapping(uint256 slot => bool) internal _signalled;
  mapping(uint256 round => mapping(address payload => uint256)) internal _signals;
  mapping(uint256 round => address) internal _leader;
  mapping(uint256 round => bool) internal _executed;
  mapping(address payload => bool) internal _vetoed;
  mapping(address payload => bool) internal _payloadExecuted;

  event SlashSignalled(uint256 indexed round, address indexed payload, address indexed signaler);
  event PayloadVetoed(address indexed payload);
  event RoundExecuted(uint256 indexed round, address indexed payload);
  event VotedSlash(uint256 indexed round, address indexed attester, uint256 amount);

  event EquivocationSlashed(
    address indexed attester,
    uint256 indexed slot,
    Offence indexed offence,
    address reporter,
    uint256 amount,
    uint256 reward,
    bytes32 digestA,
    bytes32 digestB
  );

  constructor(IRollup rollup, SlasherConfig memory config) {
    if (config.penalty == 0 || config.reporterRewardBps > BPS) {
      revert Errors.Slasher__InvalidConfig(config.penalty, config.reporterRewardBps);
    }
    // A quorum above half the round makes two winning payloads in one round impossible.
    if (config.roundSize == 0 || config.quorum <= config.roundSize / 2 || config.quorum > config.roundSize) {
      revert Errors.Slasher__InvalidVotingConfig(config.quorum, config.roundSize);
    }
    ROLLUP = rollup;
    PENALTY = config.penalty;
    REPORTER_REWARD_BPS = config.reporterRewardBps;
    QUORUM = config.quorum;
    ROUND_SIZE = config.roundSize;
    EXECUTION_DELAY_ROUNDS = config.executionDelayRounds;
    LIFETIME_ROUNDS = config.lifetimeRounds;
    VETOER = config.vetoer;
    SLASH_FACTORY = new SlashFactory();
  }

  /**
   * @notice Slashes the signer of `a` and `b`: two different digests, one slot (the headers' `slotNumber`), one
   *         registered attester (validating or exiting), not yet slashed for this slot and offence. Pays the caller
   *         its reward. Returns the attester.
   */
  function slashEquivocation(SignedBlock calldata a, SignedBlock calldata b) external returns (address attester) {
    (bytes32 digestA, uint256 slot) = _digestAndSlot(a, 0);
    (bytes32 digestB, uint256 slotB) = _digestAndSlot(b, 1);
    if (digestA == digestB) revert Errors.Slasher__SameDigest(digestA);
    if (slot != slotB) revert Errors.Slasher__DifferentSlots(slot, slotB);
    attester = _recover(digestA, a.signature, 0);
    address signerB = _recover(digestB, b.signature, 1);
    if (attester != signerB) revert Errors.Slasher__DifferentSigners(attester, signerB);
    if (ROLLUP.getInfo(attester).status == Status.NONE) revert Errors.Slasher__NotAttester(attester);

    Offence offence = ROLLUP.getProposerAt(ROLLUP.getTimestampForSlot(slot)) == attester
      ? Offence.DUPLICATE_PROPOSAL
      : Offence.DUPLICATE_ATTESTATION;
    bytes32 key = keccak256(abi.encode(attester, slot, offence));
    if (_slashed[key]) revert Errors.Slasher__AlreadySlashed(attester, slot, uint8(offence));
    _slashed[key] = true;

    uint256 amount = ROLLUP.slash(attester, PENALTY);
    uint256 reward = (amount * REPORTER_REWARD_BPS) / BPS;
    if (reward > 0) ROLLUP.STAKING_ASSET().safeTransfer(msg.sender, reward);
    emit EquivocationSlashed(attester, slot, offence, msg.sender, amount, reward, digestA, digestB);
  }

  /** @notice Current slot's registered proposer only, once per slot: signals `payload` in the current round. */
  function signal(ISlashPayload payload) external {
    if (address(payload) == address(0)) revert Errors.Slasher__InvalidPayload();
    uint256 slot = ROLLUP.getCurrentSlot();
    if (_signalled[slot]) revert Errors.Slasher__SignalAlreadyCastForSlot(slot);
    address attester = ROLLUP.getCurrentProposer();
    address expected = attester == address(0) ? address(0) : ROLLUP.getProposerForAttester(attester);
    if (expected == address(0) || msg.sender != expected) {
      revert Errors.Slasher__OnlyProposerCanSignal(expected, msg.sender);
    }
    _signalled[slot] = true;
    uint256 round = slot / ROUND_SIZE;
    uint256 count = ++_signals[round][address(payload)];
    address leader = _leader[round];
    if (address(payload) != leader && count > _signals[round][leader]) _leader[round] = address(payload);
    emit SlashSignalled(round, address(payload), msg.sender);
  }

  /** @notice Vetoer only: `payload` can never be executed. */
  function veto(address payload) external {
    if (msg.sender != VETOER) revert Errors.Slasher__NotVetoer(VETOER, msg.sender);
    _vetoed[payload] = true;
    emit PayloadVetoed(payload);
  }

  /**
   * @notice Executes round `round`'s leading payload: it needs `QUORUM` signals, no veto, not executed in another
   *         round, and the current round in
   *         `[round + 1 + EXECUTION_DELAY_ROUNDS, round + EXECUTION_DELAY_ROUNDS + LIFETIME_ROUNDS]`. Slashes each
   *         action's attester that still has a staking record (others are skipped).
   */
  function executeRound(uint256 round) external {
    uint256 current = ROLLUP.getCurrentSlot() / ROUND_SIZE;
    uint256 from = round + 1 + EXECUTION_DELAY_ROUNDS;
    if (current < from) revert Errors.Slasher__RoundNotExecutable(round, from, current);
    uint256 last = round + EXECUTION_DELAY_ROUNDS + LIFETIME_ROUNDS;
    if (current > last) revert Errors.Slasher__RoundExpired(round, last, current);
    if (_executed[round]) revert Errors.Slasher__RoundAlreadyExecuted(round);
    address payload = _leader[round];
    uint256 count = _signals[round][payload];
    if (payload == address(0) || count < QUORUM) {
      revert Errors.Slasher__QuorumNotReached(round, payload, count, QUORUM);
    }
    if (_vetoed[payload]) revert Errors.Slasher__PayloadVetoed(payload);
    // A payload that won two rounds (the same offences voted on again) slashes once.
    if (_payloadExecuted[payload]) revert Errors.Slasher__PayloadAlreadyExecuted(payload);
    _executed[round] = true;
    _payloadExecuted[payload] = true;
    SlashAction[] memory actions = ISlashPayload(payload).getActions();
    for (uint256 i = 0; i < actions.length; i++) {
      if (ROLLUP.getInfo(actions[i].attester).status == Status.NONE) continue;
      uint256 amount = ROLLUP.slash(actions[i].attester, actions[i].amount);
      emit VotedSlash(round, actions[i].attester, amount);
    }
    emit RoundExecuted(round, payload);
  }

  /** @notice Signals for `payload` in `round`. */
  function signalCount(uint256 round, address payload) external view returns (uint256) {
    return _signals[round][payload];
  }

  /** @notice The leading payload of `round` and whether it was executed. */
  function getRound(uint256 round) external view returns (address leader, bool executed) {
    return (_leader[round], _executed[round]);
  }

  /** @notice Whether the proposer of `slot` signalled. */
  function hasSignalled(uint256 slot) external view returns (bool) {
    return _signalled[slot];
  }

  /** @notice Whether `payload` was executed (in any round). */
  function isPayloadExecuted(address payload) external view returns (bool) {
    return _payloadExecuted[payload];
  }

  /** @notice Whether `payload` was vetoed. */
  function isVetoed(address payload) external view returns (bool) {
    return _vetoed[payload];
  }

  /** @notice Whether `attester` was slashed for `offence` at `slot`. */
  function isSlashed(address attester, uint256 slot, Offence offence) external view returns (bool) {
    return _slashed[keccak256(abi.encode(attester, slot, offence))];
  }

  function _digestAndSlot(SignedBlock calldata s, uint256 index) internal view returns (bytes32 digest, uint256 slot) {
    if (s.header.length != HeaderLib.HEADER_LENGTH) revert Errors.Slasher__InvalidHeaderLength(index, s.header.length);
    digest = ROLLUP.getProposalDigest(Hash.sha256ToField(s.header), s.archive);
    slot = HeaderLib.decode(s.header).globalVariables.slotNumber;
  }

  function _recover(bytes32 digest, Signature calldata sig, uint256 index) internal pure returns (address signer) {
    ECDSA.RecoverError err;
    (signer, err,) = ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(digest), sig.v, sig.r, sig.s);
    if (err != ECDSA.RecoverError.NoError) revert Errors.Slasher__InvalidSignature(index);
  }
}
