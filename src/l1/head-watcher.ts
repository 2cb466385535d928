import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { PollingLoop } from '../foundation/timers/index.js';
import type { L1PublicClient } from './clients.js';
import type { L1BlockHead, L1Clock } from './l1-clock.js';

/** The L1 head as one watcher reads it, for every component that follows L1 (instead of each polling it). */
export interface L1HeadSource {
  /** The newest L1 block seen, if any. */
  latest(): L1BlockHead | undefined;
  /** Calls `listener` on every new head; returns the unsubscribe function. */
  onHead(listener: (head: L1BlockHead) => void): () => void;
}

/** Settings of an `L1HeadWatcher`. */
export interface L1HeadWatcherOptions {
  /** Pause between polls that found no new block (and between all polls without `blockTimeMs`). */
  intervalMs: number;
  /**
   * L1's block time: after a new block, the next poll waits until just before the next one is due (one poll a block
   * when L1 keeps its pace), then polls every `intervalMs` until it comes.
   */
  blockTimeMs?: number;
  logger?: Logger;
}

/**
 * Polls L1's latest block (one `eth_getBlockByNumber` per poll) and feeds it to the node's `L1Clock` and to
 * listeners. The one place the node watches the L1 head; `start()` resolves after the first block is seen.
 */
export class L1HeadWatcher implements L1HeadSource {
  private readonly loop: PollingLoop;
  private readonly log: Logger;
  private readonly listeners = new Set<(head: L1BlockHead) => void>();
  private lastError: string | undefined;
  /** When the newest block was first seen (`performance.now()`). */
  private seenAtMs: number | undefined;

  constructor(
    private readonly client: L1PublicClient,
    readonly clock: L1Clock,
    private readonly opts: L1HeadWatcherOptions,
  ) {
    this.log = opts.logger ?? createLogger('l1:head');
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: Math.max(opts.intervalMs * 16, 10_000),
      nextDelayMs: () => this.nextDelayMs(),
      work: () => this.poll(),
      onError: (err, delayMs) => {
        const message = errorMessage(err);
        if (message !== this.lastError)
          this.log.warn('Could not read the L1 head', { error: message, retryInMs: delayMs });
        this.lastError = message;
      },
    });
  }

  /** Reads the head once (throws on failure), then keeps polling. */
  async start(): Promise<void> {
    await this.poll();
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  latest(): L1BlockHead | undefined {
    return this.clock.latestBlock();
  }

  onHead(listener: (head: L1BlockHead) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Until the next block is due: a block time after the last one was first seen, less a twentieth, so that the polls
   * drift towards the moment blocks appear (a poll that comes too early retries `intervalMs` later).
   */
  private nextDelayMs(): number {
    const { blockTimeMs, intervalMs } = this.opts;
    if (blockTimeMs === undefined || this.seenAtMs === undefined) return intervalMs;
    const due = this.seenAtMs + blockTimeMs - blockTimeMs / 20 - performance.now();
    return due > 0 ? due : intervalMs;
  }

  private async poll(): Promise<void> {
    const block = await this.client.getBlock({ blockTag: 'latest' });
    this.lastError = undefined;
    const head = { number: block.number, hash: block.hash, timestamp: block.timestamp, parentHash: block.parentHash };
    const before = this.clock.latestBlock()?.hash;
    this.clock.observe(head);
    if (before === head.hash) return;
    this.seenAtMs = performance.now();
    for (const listener of this.listeners) {
      try {
        listener(head);
      } catch (err) {
        this.log.warn('An L1 head listener failed', { error: errorMessage(err) });
      }
    }
  }
}
