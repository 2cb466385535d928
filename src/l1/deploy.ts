import { getAddress, type Abi, type Address, type Hex } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { L1ContractAddresses, L1Deployment } from './addresses.js';
import type { L1PublicClient, L1WalletClient } from './clients.js';
import {
  FeeAssetAbi,
  FeeAssetBytecode,
  FeeJuicePortalAbi,
  FeeJuicePortalBytecode,
  GovernanceProposerAbi,
  GovernanceProposerBytecode,
  MockVerifierAbi,
  MockVerifierBytecode,
  RegistryAbi,
  RegistryBytecode,
  RollupAbi,
  RollupBytecode,
  SlasherAbi,
  SlasherBytecode,
  StakingAssetAbi,
  StakingAssetBytecode,
  StakingAssetHandlerAbi,
  StakingAssetHandlerBytecode,
} from './generated/index.js';
import { sendAndWait } from './send.js';

/** A validator registered at deployment: in the committee from epoch 0. */
export interface GenesisValidator {
  attester: Address;
  proposer: Address;
  withdrawer: Address;
}

/** Everything `deployL1Contracts` needs besides the clients: the network's constants. */
export interface DeployParams {
  genesisArchiveRoot: Hex;
  /** Unix seconds; 0 = the timestamp of the L1 block that deploys the rollup. */
  genesisTime: bigint;
  slotDuration: bigint;
  epochDuration: bigint;
  targetCommitteeSize: bigint;
  proofSubmissionWindow: bigint;
  minimumStake: bigint;
  exitDelaySeconds: bigint;
  version: bigint;
  blockReward: bigint;
  governanceQuorum: bigint;
  governanceRoundSize: bigint;
  handlerMintIntervalSeconds: bigint;
  handlerRecencyWindow: bigint;
  handlerRequireSyncProof: boolean;
  /** Stake the Slasher takes per proven equivocation (base units of the staking asset). */
  slashPenalty: bigint;
  /** Share of a penalty paid to whoever submits the evidence, in basis points (0–10000). */
  slashReporterRewardBps: bigint;
  /** Slashing by proposer votes: signals a payload needs in a round (more than half of it). */
  slashingQuorum: bigint;
  /** Slots per slashing round. */
  slashingRoundSize: bigint;
  /** Whole rounds after a round before its payload may be executed (the veto window). */
  slashingExecutionDelayInRounds: bigint;
  /** Rounds after that during which it may be executed. */
  slashingLifetimeInRounds: bigint;
  /** May veto a voted payload; zero: the deployer. */
  slashingVetoer?: Address | undefined;
  /** Fee asset minted to the rollup so it can pay block rewards. */
  rewardPool: bigint;
  initialValidators: readonly GenesisValidator[];
}

interface Clients {
  publicClient: L1PublicClient;
  walletClient: L1WalletClient;
  logger?: Logger;
}

async function deploy(
  c: Clients,
  name: string,
  abi: Abi,
  bytecode: Hex,
  args: readonly unknown[],
  log: Logger,
): Promise<Address> {
  const hash = await c.walletClient.deployContract({ abi, bytecode, args });
  const receipt = await c.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new Error(`deploying ${name} failed in L1 transaction ${hash}`);
  }
  log.info(`Deployed ${name}`, { address: receipt.contractAddress });
  return getAddress(receipt.contractAddress);
}

/**
 * Deploys the network's L1 contracts with the deployer as owner, wires them together (registry, the Slasher as the
 * only account allowed to slash stake, handler as TST minter, reward pool) and stakes the genesis validators. Returns the addresses and the rollup's deployment block.
 */
export async function deployL1Contracts(c: Clients, p: DeployParams): Promise<L1Deployment> {
  const log = c.logger ?? createLogger('l1:deploy');
  const deployer = c.walletClient.account.address;
  const write = (address: Address, abi: Abi, functionName: string, args: readonly unknown[]) =>
    sendAndWait(c, { address, abi, functionName, args });

  const stakingAsset = await deploy(c, 'StakingAsset', StakingAssetAbi, StakingAssetBytecode, [deployer], log);
  const feeAsset = await deploy(c, 'FeeAsset', FeeAssetAbi, FeeAssetBytecode, [deployer], log);
  const verifier = await deploy(c, 'MockVerifier', MockVerifierAbi, MockVerifierBytecode, [], log);
  const rollupConfig = {
    stakingAsset,
    feeAsset,
    verifier,
    genesisArchiveRoot: p.genesisArchiveRoot,
    genesisTime: p.genesisTime,
    slotDuration: p.slotDuration,
    epochDuration: p.epochDuration,
    targetCommitteeSize: p.targetCommitteeSize,
    proofSubmissionWindow: p.proofSubmissionWindow,
    minimumStake: p.minimumStake,
    exitDelay: p.exitDelaySeconds,
    version: p.version,
    blockReward: p.blockReward,
    owner: deployer,
  };
  const rollup = await deploy(c, 'Rollup', RollupAbi, RollupBytecode, [rollupConfig], log);
  const rollupRead = { address: rollup, abi: RollupAbi } as const;
  const [inbox, outbox, deploymentBlock] = await Promise.all([
    c.publicClient.readContract({ ...rollupRead, functionName: 'INBOX' }),
    c.publicClient.readContract({ ...rollupRead, functionName: 'OUTBOX' }),
    c.publicClient.readContract({ ...rollupRead, functionName: 'L1_BLOCK_AT_GENESIS' }),
  ]);

  const registry = await deploy(c, 'Registry', RegistryAbi, RegistryBytecode, [deployer], log);
  await write(registry, RegistryAbi, 'addRollup', [rollup]);
  const feeJuicePortal = await deploy(c, 'FeeJuicePortal', FeeJuicePortalAbi, FeeJuicePortalBytecode, [rollup], log);
  const governanceProposer = await deploy(
    c,
    'GovernanceProposer',
    GovernanceProposerAbi,
    GovernanceProposerBytecode,
    [rollup, p.governanceQuorum, p.governanceRoundSize],
    log,
  );
  const stakingAssetHandler = await deploy(
    c,
    'StakingAssetHandler',
    StakingAssetHandlerAbi,
    StakingAssetHandlerBytecode,
    [deployer, rollup, deployer, p.handlerMintIntervalSeconds, p.handlerRecencyWindow, p.handlerRequireSyncProof],
    log,
  );
  // Deployed right after the handler (nonce 9, setSlasher 10): the local preset's addresses rely on that order.
  const slasher = await deploy(
    c,
    'Slasher',
    SlasherAbi,
    SlasherBytecode,
    [
      rollup,
      {
        penalty: p.slashPenalty,
        reporterRewardBps: p.slashReporterRewardBps,
        quorum: p.slashingQuorum,
        roundSize: p.slashingRoundSize,
        executionDelayRounds: p.slashingExecutionDelayInRounds,
        lifetimeRounds: p.slashingLifetimeInRounds,
        vetoer: p.slashingVetoer ?? deployer,
      },
    ],
    log,
  );
  await write(rollup, RollupAbi, 'setSlasher', [slasher]);
  await write(stakingAsset, StakingAssetAbi, 'addMinter', [stakingAssetHandler]);

  if (p.rewardPool > 0n) {
    await write(feeAsset, FeeAssetAbi, 'addMinter', [deployer]);
    await write(feeAsset, FeeAssetAbi, 'mint', [rollup, p.rewardPool]);
  }

  if (p.initialValidators.length > 0) {
    const total = p.minimumStake * BigInt(p.initialValidators.length);
    await write(stakingAsset, StakingAssetAbi, 'addMinter', [deployer]);
    await write(stakingAsset, StakingAssetAbi, 'mint', [deployer, total]);
    await write(stakingAsset, StakingAssetAbi, 'approve', [rollup, total]);
    await write(rollup, RollupAbi, 'initialiseValidatorSet', [
      p.initialValidators.map(v => ({ ...v, amount: p.minimumStake })),
    ]);
    log.info('Staked genesis validators', { count: p.initialValidators.length });
  }

  const addresses: L1ContractAddresses = {
    registry,
    rollup,
    inbox: getAddress(inbox),
    outbox: getAddress(outbox),
    stakingAsset,
    feeAsset,
    feeJuicePortal,
    governanceProposer,
    stakingAssetHandler,
    verifier,
    slasher,
  };
  return { l1ChainId: c.publicClient.chain.id, addresses, deploymentBlock };
}
