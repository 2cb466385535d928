import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { PollingLoop } from '../foundation/timers/index.js';
import type { L1PublicClient } from './clients.js';
import type { L1BlockHead, L1Clock } from './l1-clock.js';

/**
 * Polls L1's latest block (one `eth_getBlockByNumber` per poll) and feeds it to the node's `L1Clock` and to
 * listeners. The one place the node watches the L1 head for time; `start()` resolves after the first block is seen.
 */
export class L1HeadWatcher {
  private readonly loop: PollingLoop;
  private readonly log: Logger;
  private readonly listeners = new Set<(head: L1BlockHead) => void>();
  private lastError: string | undefined;

  constructor(
    private readonly client: L1PublicClient,
    readonly clock: L1Clock,
    opts: { intervalMs: number; logger?: Logger },
  ) {
    this.log = opts.logger ?? createLogger('l1:head');
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: Math.max(opts.intervalMs * 16, 10_000),
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

  /** Calls `listener` on every new head; returns the unsubscribe function. */
  onHead(listener: (head: L1BlockHead) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async poll(): Promise<void> {
    const block = await this.client.getBlock({ blockTag: 'latest' });
    this.lastError = undefined;
    const head = { number: block.number, hash: block.hash, timestamp: block.timestamp };
    const before = this.clock.latestBlock()?.hash;
    this.clock.observe(head);
    if (before === head.hash) return;
    for (const listener of this.listeners) {
      try {
        listener(head);
      } catch (err) {
        this.log.warn('An L1 head listener failed', { error: errorMessage(err) });
      }
    }
  }
}
