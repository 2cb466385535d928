import type { Hex } from 'viem';

import type { L1Config } from './config.js';
import type { DeployParams, GenesisValidator } from './deploy.js';

/** Protocol version of the rollup this build deploys. */
export const ROLLUP_VERSION = 1n;

/**
 * The deployment constants of a network (from its preset, env vars or flags) as `deployL1Contracts` params.
 * Handler: validators may register through it once per `AZTEC_HANDLER_MINT_INTERVAL_SECONDS`; a sync proof is
 * required when `requireSyncProof` is set (public networks), and accepted for blocks up to 64 behind the tip.
 */
export function deployParamsFromConfig(
  l1: L1Config,
  opts: {
    genesisArchiveRoot: Hex;
    initialValidators: readonly GenesisValidator[];
    requireSyncProof: boolean;
    /** When slot 0 begins (L1 seconds); default the Rollup's deployment block. */
    genesisTime?: bigint;
  },
): DeployParams {
  return {
    genesisArchiveRoot: opts.genesisArchiveRoot,
    genesisTime: opts.genesisTime ?? 0n,
    slotDuration: BigInt(l1.aztecSlotDuration),
    epochDuration: BigInt(l1.aztecEpochDuration),
    targetCommitteeSize: BigInt(l1.aztecTargetCommitteeSize),
    proofSubmissionWindow: BigInt(l1.aztecProofSubmissionWindow),
    minimumStake: l1.aztecMinimumStake,
    exitDelaySeconds: BigInt(l1.aztecExitDelaySeconds),
    version: ROLLUP_VERSION,
    blockReward: l1.aztecBlockReward,
    governanceQuorum: BigInt(l1.aztecGovernanceQuorum),
    governanceRoundSize: BigInt(l1.aztecGovernanceRoundSize),
    handlerMintIntervalSeconds: BigInt(l1.aztecHandlerMintIntervalSeconds),
    handlerRecencyWindow: 64n,
    handlerRequireSyncProof: opts.requireSyncProof,
    slashPenalty: l1.aztecSlashPenalty,
    slashReporterRewardBps: BigInt(l1.aztecSlashReporterRewardBps),
    slashingQuorum: BigInt(l1.aztecSlashingQuorum),
    slashingRoundSize: BigInt(l1.aztecSlashingRoundSize),
    slashingExecutionDelayInRounds: BigInt(l1.aztecSlashingExecutionDelayInRounds),
    slashingLifetimeInRounds: BigInt(l1.aztecSlashingLifetimeInRounds),
    slashingVetoer: l1.aztecSlashingVetoer,
    // Enough fee asset in the rollup to pay 100k blocks' rewards.
    rewardPool: l1.aztecBlockReward * 100_000n,
    initialValidators: opts.initialValidators,
  };
}
