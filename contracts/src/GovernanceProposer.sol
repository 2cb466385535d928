// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IRollup} from "./interfaces/IRollup.sol";
import {Errors} from "./libraries/Errors.sol";

/**
 * @title GovernanceProposer
 * @notice Block proposers signal a payload in their slots; a payload that leads a round of `ROUND_SIZE` slots with
 *         at least `QUORUM` signals becomes a proposal once the round is over.
 */
contract GovernanceProposer {
  struct RoundState {
    address leader;
    bool executed;
  }

  IRollup public immutable ROLLUP;
  uint256 public immutable QUORUM;
  uint256 public immutable ROUND_SIZE;

  mapping(uint256 round => RoundState) internal _rounds;
  mapping(uint256 round => mapping(address payload => uint256)) internal _signals;
  mapping(uint256 slot => bool) internal _signalled;
  address[] internal _proposals;

  event SignalCast(address indexed payload, uint256 indexed round, address indexed signaler);
  event ProposalExecuted(address indexed payload, uint256 indexed round);

  constructor(IRollup rollup, uint256 quorum, uint256 roundSize) {
    // A quorum above half the round makes two winning payloads in one round impossible.
    if (roundSize == 0 || quorum <= roundSize / 2 || quorum > roundSize) {
      revert Errors.GovernanceProposer__InvalidConfig(quorum, roundSize);
    }
    ROLLUP = rollup;
    QUORUM = quorum;
    ROUND_SIZE = roundSize;
  }

  /** @notice Current slot's registered proposer only, once per slot: signals `payload` in the current round. */
  function signal(address payload) external returns (bool) {
    if (payload == address(0)) revert Errors.GovernanceProposer__InvalidPayload();
    uint256 slot = ROLLUP.getCurrentSlot();
    if (_signalled[slot]) revert Errors.GovernanceProposer__SignalAlreadyCastForSlot(slot);
    address attester = ROLLUP.getCurrentProposer();
    address expected = attester == address(0) ? address(0) : ROLLUP.getProposerForAttester(attester);
    // With an empty committee nobody proposes, so nobody signals.
    if (expected == address(0) || msg.sender != expected) {
      revert Errors.GovernanceProposer__OnlyProposerCanSignal(expected, msg.sender);
    }
    _signalled[slot] = true;
    uint256 round = slot / ROUND_SIZE;
    uint256 count = ++_signals[round][payload];
    RoundState storage state = _rounds[round];
    if (payload != state.leader && count > _signals[round][state.leader]) state.leader = payload;
    emit SignalCast(payload, round, msg.sender);
    return true;
  }

  /** @notice After round `round` ended: makes its leading payload a proposal if it reached the quorum. */
  function executeProposal(uint256 round) external returns (uint256 proposalId) {
    uint256 current = getCurrentRound();
    if (round >= current) revert Errors.GovernanceProposer__RoundNotEnded(round, current);
    RoundState storage state = _rounds[round];
    if (state.executed) revert Errors.GovernanceProposer__ProposalAlreadyExecuted(round);
    uint256 count = _signals[round][state.leader];
    if (state.leader == address(0) || count < QUORUM) {
      revert Errors.GovernanceProposer__QuorumNotReached(round, state.leader, count, QUORUM);
    }
    state.executed = true;
    proposalId = _proposals.length;
    _proposals.push(state.leader);
    emit ProposalExecuted(state.leader, round);
  }

  /** @notice Round of the current slot. */
  function getCurrentRound() public view returns (uint256) {
    return ROLLUP.getCurrentSlot() / ROUND_SIZE;
  }

  /** @notice Round of `slot`. */
  function computeRound(uint256 slot) external view returns (uint256) {
    return slot / ROUND_SIZE;
  }

  /** @notice Leading payload of `round` and whether it was executed. */
  function getRound(uint256 round) external view returns (address leader, bool executed) {
    RoundState storage state = _rounds[round];
    return (state.leader, state.executed);
  }

  /** @notice Signals for `payload` in `round`. */
  function signalCount(uint256 round, address payload) external view returns (uint256) {
    return _signals[round][payload];
  }

  /** @notice Whether a signal was cast in `slot`. */
  function hasSignalled(uint256 slot) external view returns (bool) {
    return _signalled[slot];
  }

  /** @notice Number of executed proposals. */
  function proposalCount() external view returns (uint256) {
    return _proposals.length;
  }

  /** @notice Payload of proposal `proposalId`. */
  function getProposal(uint256 proposalId) external view returns (address) {
    return _proposals[proposalId];
  }
}
