import type { Address } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { asL2BlockNumber } from '../foundation/types/branded.js';
import { inlineBlobVerifier, type BlobVerifier } from '../l1/blobs/index.js';
import type { L1PublicClient } from '../l1/clients.js';
import type { L1HeadSource } from '../l1/head-watcher.js';
import type { WorldState } from '../world-state/types.js';
import type { BlobSource } from './block-retriever.js';
import { syncBlocks } from './block-sync.js';
import { initialSyncPoint, type SyncContext } from './context.js';
import { ArchiverError, isRateLimitError } from './errors.js';
import { ArchiverL1Reader, type L1BlockInfo, type LogScan } from './l1-reader.js';
import type { ArchiverMetrics } from './metrics.js';
import { PollingLoop } from '../foundation/timers/polling-loop.js';
import { syncMessages } from './message-sync.js';
import { SyncProgress, type SyncProgressOptions } from './progress.js';
import { handleL1Reorg } from './reorg.js';
import type { ArchiverStore } from './store.js';
import { updateTips } from './tips.js';
import type { ArchiverEvent, ArchiverListener, L1SyncPoint, UnwindReason } from './types.js';

/** L1 blocks after which the rollup's tips are read again even though no event in between moved them. */
const TIPS_REFRESH_L1_BLOCKS = 32n;
/** While a proven block is not finalized yet: L1 blocks between two reads of the tips as of L1's finalized block. */
const FINALIZED_EVERY_L1_BLOCKS = 4n;

/**
 * What the archiver reads and writes. `store` and `worldState` should share one KV store (atomic commits). Without a
 * world state (`aztec start --archiver` alone) it stores the blocks it checked against L1 and their blobs, but not
 * the state they lead to.
 */
export interface ArchiverDeps {
  publicClient: L1PublicClient;
  blobSource: BlobSource;
  /**
   * Checks blobs against their versioned hashes; share the beacon client's, so a blob it verified is not committed to
   * again. Started and stopped by its owner (default: one on this thread).
   */
  blobVerifier?: BlobVerifier | undefined;
  store: ArchiverStore;
  worldState?: WorldState | undefined;
  logger?: Logger;
  /** Commit time (`aztec_world_state_commit_duration_seconds`); none: not measured. */
  metrics?: ArchiverMetrics | undefined;
  /**
   * The node's L1 head watcher: each new head wakes the archiver, which then reads nothing while the head has not
   * moved (none: it asks L1 for the head number on every poll).
   */
  l1Head?: L1HeadSource | undefined;
}

/** Archiver settings (`ARCHIVER_POLLING_INTERVAL_MS`, `ARCHIVER_BATCH_SIZE` and the rollup's addresses). */
export interface ArchiverOptions {
  rollupAddress: Address;
  /** Read from the rollup (`INBOX()`) when absent. */
  inboxAddress?: Address;
  pollingIntervalMs: number;
  /** L1 blocks per `eth_getLogs` request. */
  batchSize: number;
  /** Longest wait between attempts after failures (default 60 s). */
  maxBackoffMs?: number;
  progress?: SyncProgressOptions;
}

/** What `Archiver.syncStatus` reports. */
export interface ArchiverSyncStatus {
  /** The L1 block the last complete sync reached (undefined before the first). */
  l1BlockNumber: bigint | undefined;
  /** The latest L2 block stored. */
  l2BlockNumber: bigint;
  /** The pending L2 tip on L1 the archiver is catching up to (0 before the first sync read it). */
  l2PendingOnL1: bigint;
  /** Blocks stored per second over the last few seconds of syncing (absent before a measure). */
  blocksPerSecond?: number;
  paused: boolean;
  /** The error of the failing syncs, if they fail. */
  error?: string;
}

/**
 * Follows the rollup on L1: blocks from `L2BlockProposed` (bodies from blobs), L1→L2 messages from the Inbox, L1
 * reorgs and L2 prunes, keeping the world state in step. One polling loop that never overlaps itself; every sync
 * (the loop's, `sync()`, `rollbackTo`) runs one at a time.
 */
export class Archiver {
  readonly store: ArchiverStore;
  private readonly reader: ArchiverL1Reader;
  private readonly log: Logger;
  private readonly listeners = new Set<ArchiverListener>();
  private readonly loop: PollingLoop;
  private readonly progress: SyncProgress;
  private readonly blobVerifier: BlobVerifier;
  private l1StartBlock: bigint | undefined;
  private paused = false;
  private stopping = false;
  private lastError: string | undefined;
  /** The L1 head the last complete sync reached (undefined before the first). */
  private syncedL1Head: bigint | undefined;
  /** The rollup's tips and the L1 block they were read at: kept while no event moves them. */
  private tips: { pending: bigint; proven: bigint; at: bigint } | undefined;
  /** The L1 block the finalized tip was last read at. */
  private finalizedReadAt: bigint | undefined;
  private unsubscribeHead: (() => void) | undefined;

  constructor(
    private readonly opts: ArchiverOptions,
    private readonly deps: ArchiverDeps,
  ) {
    this.store = deps.store;
    this.blobVerifier = deps.blobVerifier ?? inlineBlobVerifier();
    this.log = deps.logger ?? createLogger('archiver');
    this.reader = new ArchiverL1Reader(deps.publicClient, opts.rollupAddress, opts.inboxAddress);
    this.progress = new SyncProgress(this.log, opts.progress);
    this.loop = new PollingLoop({
      intervalMs: opts.pollingIntervalMs,
      maxBackoffMs: opts.maxBackoffMs ?? 60_000,
      work: () => (this.paused ? Promise.resolve() : this.iteration(false)),
      onError: (err, delayMs) => this.reportError(err, delayMs),
    });
  }

  /**
   * Reads the rollup's deployment block, brings the store and the world state to the same block, logs the start and
   * begins polling. With `waitForInitialSync`, resolves after the first full sync (and throws if it fails).
   */
  async start(opts: { waitForInitialSync?: boolean } = {}): Promise<void> {
    this.stopping = false;
    await this.init();
    const from = (this.store.getBlocksSyncPoint()?.l1BlockNumber ?? this.l1StartBlock! - 1n) + 1n;
    this.log.info(`Starting archiver sync to rollup contract ${this.opts.rollupAddress} from L1 block ${from}`, {
      rollup: this.opts.rollupAddress,
      inbox: (await this.reader.getInbox()).address,
      l1StartBlock: from,
      l2BlockNumber: this.store.getLatestBlockNumber(),
    });
    if (opts.waitForInitialSync) await this.sync();
    this.unsubscribeHead ??= this.deps.l1Head?.onHead(() => this.loop.wake());
    this.loop.start();
  }

  /** Stops polling and waits for a sync in progress to return. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribeHead?.();
    this.unsubscribeHead = undefined;
    await this.loop.stop();
  }

  /** Runs one full sync now (after any in progress); throws its error. */
  async sync(): Promise<void> {
    await this.loop.runExclusive(() => this.iteration(true));
  }

  /** Admin: stops advancing after the sync in progress (blocks stay served). */
  async pauseSync(): Promise<void> {
    this.paused = true;
    await this.loop.runExclusive(() => Promise.resolve());
    this.log.info('Archiver sync paused', { l2BlockNumber: this.store.getLatestBlockNumber() });
  }

  /** Admin: resumes syncing after `pauseSync`. */
  resumeSync(): void {
    this.paused = false;
    this.log.info('Archiver sync resumed');
    this.loop.wake();
  }

  /**
   * How far the archiver got: the L1 block its last complete sync reached (undefined before the first), the latest
   * L2 block stored, and the error of the failing syncs, if they fail.
   */
  syncStatus(): ArchiverSyncStatus {
    const { target, blocksPerSecond } = this.progress.snapshot();
    return {
      l1BlockNumber: this.syncedL1Head,
      l2BlockNumber: this.store.getLatestBlockNumber(),
      l2PendingOnL1: target,
      ...(blocksPerSecond !== undefined ? { blocksPerSecond } : {}),
      paused: this.paused,
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
    };
  }

  /** Whether `pauseSync` is in effect. */
  isPaused(): boolean {
    return this.paused;
  }

  /**
   * Admin: removes every block above `n` from the store and the world state and rescans L1 from block `n`'s L1 block
   * (from the rollup's deployment for 0). Throws `ARCHIVER_BAD_ROLLBACK` when `n` is above the latest block.
   */
  async rollbackTo(n: bigint): Promise<void> {
    await this.loop.runExclusive(async () => {
      await this.init();
      const latest = this.store.getLatestBlockNumber();
      if (n < 0n || n > latest) {
        throw new ArchiverError('ARCHIVER_BAD_ROLLBACK', `cannot roll back to block ${n}: latest block is ${latest}`, {
          blockNumber: n,
          latest,
        });
      }
      const l1 = n > 0n ? this.store.getPublishedBlock(n)?.l1 : undefined;
      // Rescan from n's own L1 block: its other L2 blocks after n are fetched again.
      const point: L1SyncPoint = l1 ? { l1BlockNumber: l1.l1BlockNumber - 1n } : initialSyncPoint(this.ctx());
      this.log.warn(`Rolling back to L2 block ${n}`, { latest, rescanFromL1Block: point.l1BlockNumber + 1n });
      this.ctx().unwind(n, 'rollback', point);
    });
    this.loop.wake();
  }

  /** Subscribes to new blocks, prunes and tip changes; returns the unsubscribe function. */
  subscribe(listener: ArchiverListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async init(): Promise<void> {
    if (this.l1StartBlock !== undefined) return;
    this.l1StartBlock = await this.reader.getL1BlockAtGenesis();
    this.reconcileWorldState();
  }

  /** After a crash between two stores (when they do not share one transaction), bring both to the lower block. */
  private reconcileWorldState(): void {
    const worldState = this.deps.worldState;
    if (!worldState) return;
    const ws = worldState.getBlockNumber();
    const latest = this.store.getLatestBlockNumber();
    if (ws === latest) return;
    this.log.warn('World state and archiver are at different blocks; unwinding to the lower one', { ws, latest });
    if (ws > latest) {
      this.store.transactionSync(() => worldState.unwindTo(latest));
      return;
    }
    const l1 = ws > 0n ? this.store.getPublishedBlock(ws)?.l1 : undefined;
    const point: L1SyncPoint = l1
      ? { l1BlockNumber: l1.l1BlockNumber, l1BlockHash: l1.l1BlockHash }
      : initialSyncPoint(this.ctx());
    this.ctx().unwind(ws, 'world-state', point);
  }

  /**
   * One sync to the L1 head. With the head watcher's head (`fresh`: read it from L1, and read the tips, as `sync()`
   * does): nothing is read while the head has not moved; the reorg check is skipped when the new head's parent is the
   * block both sync points are at; the head's header is not read again. Both contracts' logs of the range are read in
   * one `eth_getLogs` when it fits one batch; the tips only when an event in it moved them (or every
   * `TIPS_REFRESH_L1_BLOCKS`), the finalized tip only while a proven block is not finalized yet.
   */
  private async iteration(fresh: boolean): Promise<void> {
    await this.init();
    const ctx = this.ctx();
    const watched = fresh ? undefined : this.watchedHead();
    if (watched && this.upToDate(watched)) return;
    const head = watched?.number ?? (await this.reader.getHead());
    this.reader.useHead(watched);
    try {
      if (!(watched && this.extendsSyncPoints(watched)) && (await handleL1Reorg(ctx))) this.tips = undefined;
      const scan = await this.scanOnce(head);
      await syncMessages(ctx, head);
      if (this.stopping) return;
      const tips = await this.readTips(head, fresh ? undefined : scan);
      this.progress.setTarget(tips.pending);
      await syncBlocks(ctx, head, tips);
      if (this.stopping) return;
      await updateTips(ctx, tips, { readFinalized: this.finalizedDue(head, tips.proven, fresh) });
    } finally {
      this.reader.endSync();
    }
    this.syncedL1Head = head;
    if (this.lastError !== undefined) this.log.info('Archiver sync recovered', { after: this.lastError });
    this.lastError = undefined;
  }

  /** The head watcher's newest head, when it has all the archiver needs of it. */
  private watchedHead(): L1BlockInfo | undefined {
    const h = this.deps.l1Head?.latest();
    if (!h?.parentHash) return undefined;
    return {
      number: h.number,
      hash: h.hash as L1BlockInfo['hash'],
      parentHash: h.parentHash as L1BlockInfo['hash'],
      timestamp: h.timestamp,
    };
  }

  /** The last sync reached `head` and both sync points are at it: nothing new on L1. */
  private upToDate(head: L1BlockInfo): boolean {
    const at = (p: L1SyncPoint | undefined) => p?.l1BlockNumber === head.number && p.l1BlockHash === head.hash;
    return (
      this.syncedL1Head === head.number && at(this.store.getBlocksSyncPoint()) && at(this.store.getMessagesSyncPoint())
    );
  }

  /** Both sync points are at `head`'s parent: L1 only grew on top of what was synced, nothing under it changed. */
  private extendsSyncPoints(head: L1BlockInfo): boolean {
    const parent = (p: L1SyncPoint | undefined) =>
      p?.l1BlockNumber === head.number - 1n && p.l1BlockHash === head.parentHash;
    return parent(this.store.getBlocksSyncPoint()) && parent(this.store.getMessagesSyncPoint());
  }

  /** Both contracts' logs from the lower sync point to `head` in one request, when that fits one batch. */
  private async scanOnce(head: bigint): Promise<LogScan | undefined> {
    const start = initialSyncPoint(this.ctx()).l1BlockNumber;
    const blocks = this.store.getBlocksSyncPoint()?.l1BlockNumber ?? start;
    const messages = this.store.getMessagesSyncPoint()?.l1BlockNumber ?? start;
    const from = (blocks < messages ? blocks : messages) + 1n;
    if (from > head || head - from + 1n > BigInt(this.opts.batchSize)) return undefined;
    return this.reader.scan(from, head);
  }

  /** The tips as of `head`: the ones kept when `scan` covers every block since they were read and none moved them. */
  private async readTips(head: bigint, scan: LogScan | undefined): Promise<{ pending: bigint; proven: bigint }> {
    const kept = this.tips;
    if (
      kept &&
      scan &&
      !scan.tipsMoved &&
      scan.from <= kept.at + 1n &&
      head >= kept.at &&
      head - kept.at < TIPS_REFRESH_L1_BLOCKS
    ) {
      return kept;
    }
    const tips = await this.reader.getTips(head);
    this.tips = { ...tips, at: head };
    return tips;
  }

  /** A proven block is not finalized yet, and the finalized tip was not read in the last few L1 blocks. */
  private finalizedDue(head: bigint, proven: bigint, fresh: boolean): boolean {
    if (!fresh && proven <= this.store.getFinalizedBlockNumber()) return false;
    const last = this.finalizedReadAt;
    if (!fresh && last !== undefined && head >= last && head - last < FINALIZED_EVERY_L1_BLOCKS) return false;
    this.finalizedReadAt = head;
    return true;
  }

  private reportError(err: unknown, delayMs: number): void {
    const message = errorMessage(err);
    const repeated = message === this.lastError;
    this.lastError = message;
    const fields = { retryInMs: delayMs, ...(err instanceof ArchiverError ? err.context : {}) };
    if (isRateLimitError(err)) {
      this.log.warn(`L1 RPC is rate limiting the archiver, backing off: ${message}`, fields);
    } else if (err instanceof ArchiverError && err.code === 'ARCHIVER_BLOCK_REJECTED') {
      // An error an operator must see, but once, not every poll.
      if (repeated) this.log.debug(message, fields);
      else this.log.error(message, fields);
    } else if (repeated) {
      this.log.debug(`Archiver sync failed again: ${message}`, fields);
    } else {
      this.log.warn(`Archiver sync failed, retrying: ${message}`, fields);
    }
  }

  private ctx(): SyncContext {
    return {
      reader: this.reader,
      blobSource: this.deps.blobSource,
      blobVerifier: this.blobVerifier,
      store: this.store,
      worldState: this.deps.worldState,
      metrics: this.deps.metrics,
      log: this.log,
      progress: this.progress,
      batchSize: this.opts.batchSize,
      l1StartBlock: this.l1StartBlock ?? 0n,
      stopping: () => this.stopping,
      emit: event => this.emit(event),
      unwind: (n, reason, point) => this.unwind(n, reason, point),
    };
  }

  private unwind(n: bigint, reason: UnwindReason, point?: L1SyncPoint): void {
    const ws = this.deps.worldState;
    const removed = this.store.transactionSync(() => {
      const removed = this.store.unwindTo(n);
      if (ws && ws.getBlockNumber() > n) ws.unwindTo(n);
      if (point) this.store.setBlocksSyncPoint(point);
      return removed;
    });
    if (removed.length === 0) return;
    this.log.warn(`Unwound ${removed.length} L2 blocks to block ${n}`, { reason });
    this.emit({ type: 'chain-pruned', blockNumber: asL2BlockNumber(n), removed, reason });
  }

  private emit(event: ArchiverEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.warn(`An archiver subscriber failed on ${event.type}: ${errorMessage(err)}`);
      }
    }
  }
}
