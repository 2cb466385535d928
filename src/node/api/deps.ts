import type { L1ContractAddresses } from '../../l1/addresses.js';
import type { SentinelStats } from '../../sentinel/stats.js';
import type { Fr } from '../../types/fr.js';
import type { GasFees } from '../../types/header.js';
import type { L2Block } from '../../types/l2-block.js';
import type { L2Tips } from '../../types/tips.js';
import type { Tx } from '../../types/tx.js';
import type { WorldState } from '../../world-state/types.js';
import type { HotReads } from './hot-reads.js';

/** The synced chain, as the API reads it (the archiver's store). */
export interface ChainReader {
  getTips(): L2Tips;
  getLatestBlockNumber(): bigint;
  getBlock(blockNumber: bigint): L2Block | undefined;
  getTxLocation(txHash: Fr): { blockNumber: bigint; index: number } | undefined;
  /** The 16 L1→L2 message leaves of a block (zero-filled). */
  getL1ToL2Messages(blockNumber: bigint): Fr[];
}

/** A tx rejected by the pool, with a reason a client can read. */
export interface TxRejectionInfo {
  code: string;
  reason: string;
}

/** The tx pool, as the API uses it. */
export interface TxPoolReader {
  add(tx: Tx): Promise<{ accepted: true; txHash: Fr } | { accepted: false; rejection: TxRejectionInfo }>;
  getTxByHash(txHash: Fr): Tx | undefined;
  getPendingTxs(limit?: number): Tx[];
  getPendingCount(): number;
  getTxStatus(
    txHash: Fr,
  ): 'pending' | { status: 'mined'; blockNumber: bigint } | { status: 'dropped'; reason: string } | undefined;
}

/** Static facts about the node and its network. */
export interface NodeFacts {
  nodeVersion: string;
  l1ChainId: number;
  rollupVersion: number;
  l1ContractAddresses: L1ContractAddresses;
  enr?: string;
}

/** What the `node_` API is built from. */
export interface NodeApiDeps {
  chain: ChainReader;
  /** The reads held in memory, when `chain` is the `HotChain` holding them (else every read goes to the store). */
  hot?: HotReads | undefined;
  worldState: WorldState;
  txPool: TxPoolReader;
  facts: NodeFacts;
  /** Base fees of the next block (`node_getCurrentBaseFees`). */
  baseFees(): GasFees;
  isReady(): boolean;
  /** The current slot, its epoch and its proposer (attester address; null with an empty committee). */
  slotInfo(): Promise<{ slot: bigint; epoch: bigint; proposer: string | undefined }>;
  /** The sentinel's validator stats; absent when it is off (`SENTINEL_ENABLED=false`). */
  validatorStats?: Pick<SentinelStats, 'validatorsStats' | 'validatorStats'> | undefined;
}
