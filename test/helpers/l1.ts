import type { Address } from 'viem';

import { startAnvil, type Anvil } from '../../src/l1/anvil.js';
import {
  createL1PublicClient,
  createL1WalletClient,
  type L1PublicClient,
  type L1WalletClient,
} from '../../src/l1/clients.js';
import { deployL1Contracts, type DeployParams, type GenesisValidator } from '../../src/l1/deploy.js';
import type { L1Deployment } from '../../src/l1/addresses.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { genesisArchiveRoot } from '../../src/world-state/genesis.js';

/** The local preset's constants, for tests that deploy their own network. */
export function testDeployParams(overrides: Partial<DeployParams> = {}): DeployParams {
  return {
    genesisArchiveRoot: genesisArchiveRoot(),
    genesisTime: 0n,
    slotDuration: 8n,
    epochDuration: 8n,
    targetCommitteeSize: 4n,
    proofSubmissionWindow: 16n,
    minimumStake: 100n * 10n ** 18n,
    exitDelaySeconds: 60n,
    version: 1n,
    blockReward: 10n ** 18n,
    governanceQuorum: 6n,
    governanceRoundSize: 10n,
    handlerMintIntervalSeconds: 0n,
    handlerRecencyWindow: 64n,
    handlerRequireSyncProof: false,
    slashPenalty: 10n * 10n ** 18n,
    slashReporterRewardBps: 1000n,
    slashingQuorum: 6n,
    slashingRoundSize: 10n,
    slashingExecutionDelayInRounds: 1n,
    slashingLifetimeInRounds: 5n,
    rewardPool: 1000n * 10n ** 18n,
    initialValidators: [],
    ...overrides,
  };
}

/** A fresh anvil (automine) with the contracts deployed by anvil's account 0. */
export interface TestL1 {
  anvil: Anvil;
  publicClient: L1PublicClient;
  walletClient: L1WalletClient;
  deployment: L1Deployment;
  /** A signing client for anvil account `index`. */
  wallet(index: number): L1WalletClient;
  /** Moves L1 time to `ts` and mines a block there. */
  mineAt(ts: bigint): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestL1(params: Partial<DeployParams> = {}): Promise<TestL1> {
  const anvil = await startAnvil();
  try {
    const opts = { rpcUrls: [anvil.url], chainId: anvil.chainId, pollingIntervalMs: 50 };
    const publicClient = createL1PublicClient(opts);
    const wallet = (index: number) => createL1WalletClient(opts, devAccount(index).privateKey);
    const walletClient = wallet(0);
    const deployment = await deployL1Contracts({ publicClient, walletClient }, testDeployParams(params));
    const rpc = (method: string, args: unknown[]) =>
      publicClient.request({ method: method as 'eth_chainId', params: args as never });
    return {
      anvil,
      publicClient,
      walletClient,
      deployment,
      wallet,
      mineAt: async (ts: bigint) => {
        await rpc('evm_setNextBlockTimestamp', [Number(ts)]);
        await rpc('evm_mine', []);
      },
      stop: () => anvil.stop(),
    };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

/** Genesis validators made of anvil accounts `from..from+n-1` (attester = proposer = withdrawer). */
export function devValidators(n: number, from = 1): GenesisValidator[] {
  return Array.from({ length: n }, (_, i) => {
    const address: Address = devAccount(from + i).address;
    return { attester: address, proposer: address, withdrawer: address };
  });
}
