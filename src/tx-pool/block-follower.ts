import { createLogger } from '../foundation/log/index.js';
import { PollingLoop } from '../foundation/timers/polling-loop.js';
import type { Fr, L2Block, L2BlockSource } from '../types/index.js';

export type { L2BlockSource };

/** What the follower feeds: the tx pool fits. */
export interface L2BlockListener {
  /** Block `block` joined the chain (called in block order, once per block unless the chain unwinds below it). */
  onBlockMined(block: L2Block): unknown;
  /** The chain fell back to `blockNumber`: the blocks above it are gone. */
  onUnwind(blockNumber: bigint): unknown;
}

/** Settings of an `L2BlockFollower`. */
export interface L2BlockFollowerOptions {
  /** `P2P_BLOCK_CHECK_INTERVAL_MS`: the pause between two checks for new blocks. */
  intervalMs: number;
  /** How many recent blocks' archive roots are kept to find where a reorg forked (default 128). Deeper: unwinds that far. */
  reorgWindow?: number;
  /** Longest pause after repeated failures (default 10 s). */
  maxBackoffMs?: number;
}

/** Blocks handled in a row before letting other work run (a long catch-up must not hold the event loop). */
const BLOCKS_PER_SLICE = 50;

const log = createLogger('p2p').child('block-follower');

/**
 * Follows the L2 chain of a block source every `intervalMs` (`P2P_BLOCK_CHECK_INTERVAL_MS`) and tells a listener (the tx
 * pool) of each new block, one by one and in order, so a follower that fell behind catches up without skipping any.
 * It notices unwinds (the latest block number going down, or a known block's archive root changing) and reports the
 * block the chain fell back to before the new blocks. Starts from the source's latest block; `start()`/`stop()`.
 */
export class L2BlockFollower {
  private readonly loop: PollingLoop;
  /** The last block the listener was told of. */
  private current = 0n;
  /** Archive roots of the last blocks the listener was told of, by number (at most `reorgWindow`). */
  private readonly roots = new Map<bigint, Fr>();
  private readonly reorgWindow: number;
  private stopping = false;

  constructor(
    private readonly opts: L2BlockFollowerOptions,
    private readonly deps: { source: L2BlockSource; listener: L2BlockListener },
  ) {
    this.reorgWindow = opts.reorgWindow ?? 128;
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: opts.maxBackoffMs ?? 10_000,
      work: () => this.check(),
      onError: (err, delayMs) => log.warn('Could not follow the L2 chain, retrying', { err, retryInMs: delayMs }),
    });
  }

  /** The last block the listener was told of. */
  get blockNumber(): bigint {
    return this.current;
  }

  /** Takes the source's latest block as the starting point (blocks up to it are not replayed), then polls. */
  async start(): Promise<void> {
    this.stopping = false;
    const latest = BigInt(await this.deps.source.getLatestBlockNumber());
    this.current = latest;
    this.roots.clear();
    const root = latest > 0n ? await this.deps.source.getArchiveRoot(latest) : undefined;
    if (root !== undefined) this.roots.set(latest, root);
    log.debug('Following the L2 chain', { from: latest, intervalMs: this.opts.intervalMs });
    this.loop.start();
  }

  /** Stops polling; resolves once a check in progress has returned. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop.stop();
  }

  /** Runs one check now (after any in progress): new blocks and unwinds up to the source's latest block. */
  sync(): Promise<void> {
    return this.loop.runExclusive(() => this.check());
  }

  private async check(): Promise<void> {
    const { source, listener } = this.deps;
    const latest = BigInt(await source.getLatestBlockNumber());
    const forkPoint = await this.findForkPoint(latest);
    if (forkPoint < this.current) {
      log.verbose('The L2 chain unwound', { from: this.current, to: forkPoint });
      listener.onUnwind(forkPoint);
      for (const n of this.roots.keys()) if (n > forkPoint) this.roots.delete(n);
      this.current = forkPoint;
    }
    let handled = 0;
    while (this.current < latest && !this.stopping) {
      const next = this.current + 1n;
      const block = await source.getBlock(next);
      // Gone since `latest` was read (an unwind in between): the next check sees it.
      if (!block) break;
      listener.onBlockMined(block);
      this.remember(next, block.archive.root);
      this.current = next;
      if (++handled % BLOCKS_PER_SLICE === 0) await new Promise(resolve => setImmediate(resolve));
    }
    if (handled > 0) log.debug('Followed new L2 blocks', { count: handled, blockNumber: this.current });
  }

  /**
   * The highest block at or below both `latest` and the current block that is still the one the listener was told of
   * (same archive root). Below the remembered roots it cannot tell: it falls back to just under the oldest one.
   */
  private async findForkPoint(latest: bigint): Promise<bigint> {
    // Roots are remembered in increasing block order (Map keys keep insertion order): the first is the oldest.
    const oldest = this.roots.keys().next().value;
    // With none remembered (e.g. the source had no root for the starting block) there is nothing to compare.
    const floor = oldest === undefined ? this.current : oldest > 0n ? oldest - 1n : 0n;
    let n = latest < this.current ? latest : this.current;
    while (n > floor) {
      const known = this.roots.get(n);
      if (known !== undefined && known === (await this.deps.source.getArchiveRoot(n))) return n;
      n--;
    }
    return n;
  }

  private remember(n: bigint, root: Fr): void {
    this.roots.set(n, root);
    while (this.roots.size > this.reorgWindow) {
      const oldest = this.roots.keys().next().value;
      if (oldest === undefined) break;
      this.roots.delete(oldest);
    }
  }
}
