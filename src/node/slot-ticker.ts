import { EpochCache } from '../epoch/epoch-cache.js';
import { RollupEpochReader } from '../epoch/rollup-reader.js';
import { epochOfSlot, timestampForSlot } from '../epoch/time.js';
import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { asSlot } from '../foundation/types/branded.js';
import type { L1PublicClient } from '../l1/clients.js';
import type { Address } from 'viem';

/**
 * Logs each new L2 slot with its epoch and proposer, from the L1 clock. A cancellable loop that never overlaps
 * itself: `start()` then `stop()`.
 */
export class SlotTicker {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly log: Logger;

  constructor(
    private readonly client: L1PublicClient,
    private readonly rollup: Address,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('slots');
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const reader = new RollupEpochReader(this.client, this.rollup);
    const cache = await EpochCache.create(reader, this.log);
    const k = await reader.constants();
    let last: bigint | undefined;
    while (!this.stopped) {
      try {
        const now = await reader.latestTimestamp();
        const slot = cache.slotAt(now);
        if (slot !== last) {
          last = slot;
          const proposer = await cache.getProposerAttester(slot, now);
          this.log.info(`Slot ${slot}`, { epoch: epochOfSlot(slot, k), proposer: proposer ?? 'anyone' });
        }
        const next = timestampForSlot(asSlot(slot + 1n), k);
        await this.sleep(Math.max(500, Number(next - now) * 1000));
      } catch (err) {
        this.log.warn('Could not read the L1 clock', { error: errorMessage(err) });
        await this.sleep(2_000);
      }
    }
  }
}
