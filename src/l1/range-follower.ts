import { PollingLoop } from '../foundation/timers/index.js';
import type { L1PublicClient } from './clients.js';

/** What an `L1RangeFollower` works with. */
export interface L1RangeFollowerOptions {
  l1: Pick<L1PublicClient, 'getBlockNumber'>;
  intervalMs: number;
  /** Reads `[from, to]` (events, usually); a throw is retried with backoff over the same range. */
  read(from: bigint, to: bigint): Promise<void>;
  /** Told of each failed read and the delay before the next try. */
  onError(err: unknown, retryInMs: number): void;
}

/**
 * Follows L1 from the block at `start()` on: each poll hands `read` the blocks since the last one it read, up to the
 * head, so every block is read once (a failed range is read again). The Slasher's watchers are built on it.
 */
export class L1RangeFollower {
  private readonly loop: PollingLoop;
  private next: bigint | undefined;

  constructor(private readonly opts: L1RangeFollowerOptions) {
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: Math.max(opts.intervalMs, 30_000),
      work: () => this.poll(),
      onError: (err, delayMs) => opts.onError(err, delayMs),
    });
  }

  /** Starts following from the current L1 block. */
  async start(): Promise<void> {
    this.next = await this.opts.l1.getBlockNumber();
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async poll(): Promise<void> {
    const head = await this.opts.l1.getBlockNumber();
    const from = this.next ?? head;
    if (from > head) return;
    await this.opts.read(from, head);
    this.next = head + 1n;
  }
}
