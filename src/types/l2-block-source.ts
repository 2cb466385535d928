import type { Fr } from './fr.js';
import type { L2Block } from './l2-block.js';

/**
 * Where a component reads the synced L2 chain. The archiver's store fits; defined here so readers (tx pool, P2P req/resp) need no archiver import.
 * Methods may answer directly or with a promise.
 */
export interface L2BlockSource {
  /** Number of the latest block (0 when there is only genesis). */
  getLatestBlockNumber(): bigint | Promise<bigint>;
  /** Block `n`, or undefined when the chain has no such block (any more). */
  getBlock(n: bigint): L2Block | undefined | Promise<L2Block | undefined>;
  /** The archive root after block `n` (it names the block and its whole history), or undefined. */
  getArchiveRoot(n: bigint): Fr | undefined | Promise<Fr | undefined>;
}
