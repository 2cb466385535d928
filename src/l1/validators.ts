import type { Address, Hex } from 'viem';

import type { L1ContractAddresses } from './addresses.js';
import type { L1PublicClient, L1WalletClient } from './clients.js';
import { RollupAbi, StakingAssetAbi, StakingAssetHandlerAbi } from './generated/index.js';
import { sendAndWait } from './send.js';

/** A validator to register: its signing key's address, the L1 account that publishes, who may withdraw. */
export interface ValidatorRegistration {
  attester: Address;
  proposer: Address;
  withdrawer: Address;
}

type Clients = { publicClient: L1PublicClient; walletClient: L1WalletClient };

/**
 * Registers a validator through the StakingAssetHandler (it mints the minimum stake and deposits it; rate
 * limited; the handler's configured withdrawer can withdraw).
 */
export async function addValidatorThroughHandler(
  c: Clients,
  addresses: Pick<L1ContractAddresses, 'stakingAssetHandler'>,
  v: Pick<ValidatorRegistration, 'attester' | 'proposer'>,
): Promise<void> {
  await sendAndWait(c, {
    address: addresses.stakingAssetHandler,
    abi: StakingAssetHandlerAbi,
    functionName: 'addValidator',
    args: [v.attester, v.proposer],
  });
}

/**
 * Registers a validator by depositing the rollup's minimum stake from the caller's own staking asset (approve,
 * then deposit).
 */
export async function depositValidator(
  c: Clients,
  addresses: Pick<L1ContractAddresses, 'rollup' | 'stakingAsset'>,
  v: ValidatorRegistration,
): Promise<void> {
  const amount = await c.publicClient.readContract({
    address: addresses.rollup,
    abi: RollupAbi,
    functionName: 'MINIMUM_STAKE',
  });
  await sendAndWait(c, {
    address: addresses.stakingAsset,
    abi: StakingAssetAbi,
    functionName: 'approve',
    args: [addresses.rollup, amount],
  });
  await sendAndWait(c, {
    address: addresses.rollup,
    abi: RollupAbi,
    functionName: 'deposit',
    args: [v.attester, v.proposer, v.withdrawer, amount],
  });
}

/** A node's proof that it holds block `blockNumber`: the archive tree's sibling path of that block's leaf. */
export interface SyncProof {
  blockNumber: bigint;
  /** Leaf level first, as `node_getArchiveSiblingPath` gives it (decoded). */
  archivePath: Hex[];
}

/**
 * Registers a validator through the StakingAssetHandler with a sync proof: the handler checks that `archivePath`
 * takes block `blockNumber`'s header hash to the rollup's `archiveAt(blockNumber)`, for a block within its recency
 * window of the pending tip.
 */
export async function addValidatorWithSyncProof(
  c: Clients,
  addresses: Pick<L1ContractAddresses, 'stakingAssetHandler'>,
  v: Pick<ValidatorRegistration, 'attester' | 'proposer'>,
  proof: SyncProof,
): Promise<void> {
  await sendAndWait(c, {
    address: addresses.stakingAssetHandler,
    abi: StakingAssetHandlerAbi,
    functionName: 'addValidatorWithSyncProof',
    args: [v.attester, v.proposer, proof.blockNumber, proof.archivePath],
  });
}
