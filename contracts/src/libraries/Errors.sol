// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {GasFees} from "./HeaderLib.sol";

/**
 * @title Errors
 * @notice Every custom error of the L1 contracts, named `<Contract>__<Reason>`. Where an error carries an
 *         expected and an actual value, the expected one comes first.
 */
library Errors {
  // Rollup: configuration and time
  error Rollup__InvalidConfig();
  error Rollup__BeforeGenesis(uint256 timestamp, uint256 genesisTime);

  // Rollup: propose
  error Rollup__InvalidHeaderLength(uint256 expected, uint256 actual);
  error Rollup__InvalidChainId(uint256 expected, uint256 actual);
  error Rollup__InvalidVersion(uint256 expected, uint256 actual);
  error Rollup__InvalidSlotNumber(uint256 expected, uint256 actual);
  error Rollup__InvalidTimestamp(uint256 expected, uint256 actual);
  error Rollup__SlotAlreadyInChain(uint256 lastSlot, uint256 proposedSlot);
  error Rollup__InvalidBlockNumber(uint256 expected, uint256 actual);
  error Rollup__InvalidArchive(bytes32 expected, bytes32 actual);
  error Rollup__InvalidArchiveLeafIndex(uint256 expected, uint256 actual);
  error Rollup__InvalidProposer(address expected, address actual);
  error Rollup__InsufficientAttestations(uint256 needed, uint256 provided);
  error Rollup__InvalidSignature(uint256 attestationIndex);
  error Rollup__AttesterNotInCommittee(uint256 attestationIndex, address signer);
  error Rollup__AttestationOutOfOrder(uint256 attestationIndex, uint256 previousCommitteeIndex, uint256 committeeIndex);
  error Rollup__InvalidBlobInput(uint256 length);
  error Rollup__InvalidBlobHash(uint256 index, bytes32 expected, bytes32 actual);
  error Rollup__InvalidBlobsHash(bytes32 expected, bytes32 actual);
  error Rollup__InvalidInHash(bytes32 expected, bytes32 actual);
  error Rollup__InvalidBaseFees(GasFees expected, GasFees actual);
  error Rollup__BlockNotInPendingChain(uint256 blockNumber, uint256 pendingBlockNumber);

  // Rollup: proving and pruning
  error Rollup__InvalidProofStart(uint256 expected, uint256 actual);
  error Rollup__InvalidProofEnd(uint256 start, uint256 pendingBlockNumber, uint256 end);
  error Rollup__ProofSpansEpochs(uint256 startEpoch, uint256 endEpoch);
  error Rollup__EpochNotEnded(uint256 epoch, uint256 currentEpoch);
  error Rollup__EpochIncomplete(uint256 epoch, uint256 nextBlockInEpoch);
  error Rollup__ProofWindowPassed(uint256 epoch, uint256 deadlineSlot, uint256 currentSlot);
  error Rollup__InvalidPublicInputsLength(uint256 expected, uint256 actual);
  error Rollup__InvalidPublicInput(uint256 index, bytes32 expected, bytes32 actual);
  error Rollup__InvalidProof();
  error Rollup__NothingToPrune();

  // Staking
  error Staking__InvalidAddress();
  error Staking__InsufficientStake(uint256 minimum, uint256 amount);
  error Staking__AlreadyRegistered(address attester);
  error Staking__NotValidating(address attester);
  error Staking__NotWithdrawer(address expected, address actual);
  error Staking__NotExiting(address attester);
  error Staking__WithdrawalNotUnlocked(uint256 exitableAt, uint256 currentTime);
  error Staking__ValidatorSetAlreadyInitialised();
  error Staking__NotSlasher(address slasher, address caller);
  error Staking__SlasherAlreadySet(address slasher);
  error Staking__NoStake(address attester);

  // Slasher
  error Slasher__InvalidConfig(uint256 penalty, uint256 reporterRewardBps);
  error Slasher__InvalidHeaderLength(uint256 evidenceIndex, uint256 length);
  error Slasher__SameDigest(bytes32 digest);
  error Slasher__DifferentSlots(uint256 slotA, uint256 slotB);
  error Slasher__InvalidSignature(uint256 evidenceIndex);
  error Slasher__DifferentSigners(address signerA, address signerB);
  error Slasher__NotAttester(address signer);
  error Slasher__AlreadySlashed(address attester, uint256 slot, uint8 offence);
  error Slasher__InvalidVotingConfig(uint256 quorum, uint256 roundSize);
  error Slasher__InvalidPayload();
  error Slasher__OnlyProposerCanSignal(address expected, address actual);
  error Slasher__SignalAlreadyCastForSlot(uint256 slot);
  error Slasher__NotVetoer(address vetoer, address caller);
  error Slasher__RoundNotExecutable(uint256 round, uint256 executableFromRound, uint256 currentRound);
  error Slasher__RoundExpired(uint256 round, uint256 lastExecutableRound, uint256 currentRound);
  error Slasher__RoundAlreadyExecuted(uint256 round);
  error Slasher__QuorumNotReached(uint256 round, address payload, uint256 signals, uint256 quorum);
  error Slasher__PayloadVetoed(address payload);
  error Slasher__PayloadAlreadyExecuted(address payload);

  // SlashFactory
  error SlashFactory__NoActions();
  error SlashFactory__ZeroAttester(uint256 index);
  error SlashFactory__ZeroAmount(uint256 index);
  error SlashFactory__NotSorted(uint256 index);

  // Merkle proofs
  error MerkleLib__IndexOutOfRange(uint256 index, uint256 height);
  error MerkleLib__NotPowerOfTwo(uint256 leaves);

  // Inbox
  error Inbox__Unauthorized(address caller);
  error Inbox__MustBuildBeforeConsume(uint256 toConsume, uint256 inProgress);

  // Outbox
  error Outbox__Unauthorized(address caller);
  error Outbox__BlockNotProven(uint256 blockNumber, uint256 provenBlockNumber);
  error Outbox__InvalidRecipient(address expected, address actual);
  error Outbox__NothingToConsumeAtBlock(uint256 blockNumber);
  error Outbox__InvalidPath(uint256 blockNumber, uint256 leafIndex, bytes32 expectedRoot, bytes32 computedRoot);
  error Outbox__AlreadyConsumed(uint256 blockNumber, uint256 leafIndex);

  // Registry
  error Registry__RollupAlreadyRegistered(uint256 version);
  error Registry__RollupNotRegistered(uint256 version);
  error Registry__NoRollup();

  // Tokens
  error MintableERC20__NotMinter(address caller);

  // GovernanceProposer
  error GovernanceProposer__InvalidConfig(uint256 quorum, uint256 roundSize);
  error GovernanceProposer__InvalidPayload();
  error GovernanceProposer__OnlyProposerCanSignal(address expected, address actual);
  error GovernanceProposer__SignalAlreadyCastForSlot(uint256 slot);
  error GovernanceProposer__RoundNotEnded(uint256 round, uint256 currentRound);
  error GovernanceProposer__ProposalAlreadyExecuted(uint256 round);
  error GovernanceProposer__QuorumNotReached(uint256 round, address payload, uint256 signals, uint256 quorum);

  // StakingAssetHandler
  error StakingAssetHandler__SyncProofRequired();
  error StakingAssetHandler__NotEnoughTimeSinceLastMint(uint256 lastMintTimestamp, uint256 mintInterval);
  error StakingAssetHandler__BlockNotFound(uint256 blockNumber, uint256 pendingBlockNumber);
  error StakingAssetHandler__BlockTooOld(uint256 blockNumber, uint256 pendingBlockNumber, uint256 recencyWindow);
  error StakingAssetHandler__InvalidSyncProof(uint256 blockNumber, bytes32 expectedArchive, bytes32 computedArchive);
}
