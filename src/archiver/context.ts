import type { Logger } from '../foundation/log/index.js';
import type { BlobVerifier } from '../l1/blobs/index.js';
import type { WorldState } from '../world-state/types.js';
import type { BlobSource } from './block-retriever.js';
import type { ArchiverL1Reader } from './l1-reader.js';
import type { ArchiverMetrics } from './metrics.js';
import type { SyncProgress } from './progress.js';
import type { ArchiverStore } from './store.js';
import type { ArchiverEvent, L1SyncPoint, UnwindReason } from './types.js';

/** What the sync steps (reorg check, messages, blocks, tips) share; built by the `Archiver`. */
export interface SyncContext {
  reader: ArchiverL1Reader;
  blobSource: BlobSource;
  /** Checks blobs against their versioned hashes (worker threads, cache of verified blobs). */
  blobVerifier: BlobVerifier;
  store: ArchiverStore;
  /** Absent when the archiver runs without the node: blocks are stored, not applied. */
  worldState: WorldState | undefined;
  metrics?: ArchiverMetrics | undefined;
  log: Logger;
  progress: SyncProgress;
  /** L1 blocks per `eth_getLogs` request. */
  batchSize: number;
  /** The rollup's `L1_BLOCK_AT_GENESIS`: nothing to scan before it. */
  l1StartBlock: bigint;
  /** Whether `stop()` was called: long steps return early. */
  stopping(): boolean;
  emit(event: ArchiverEvent): void;
  /**
   * Removes every block above `blockNumber` from the store and the world state in one transaction (and moves the
   * blocks sync point when given), then tells subscribers (when anything was removed).
   */
  unwind(blockNumber: bigint, reason: UnwindReason, syncPoint?: L1SyncPoint): void;
}

/** The sync point before anything was scanned: the block before the rollup's deployment. */
export function initialSyncPoint(ctx: Pick<SyncContext, 'l1StartBlock'>): L1SyncPoint {
  return { l1BlockNumber: ctx.l1StartBlock - 1n };
}
