import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { PollingLoop } from '../foundation/timers/index.js';
import type { L1PublicClient } from '../l1/clients.js';
import type { EquivocationSlashedLog, SlasherContract } from '../l1/contracts/slasher.js';
import type { SlasherMetrics } from './metrics.js';

/** What a `SlashWatcher` works with. */
export interface SlashWatcherDeps {
  l1: Pick<L1PublicClient, 'getBlockNumber'>;
  slasher: Pick<SlasherContract, 'getSlashedLogs'>;
  /** This node's attesters: a slash of one of them is a warning and a metric. */
  ownAttesters: readonly Address[];
  metrics: SlasherMetrics;
  /** Told of every slash seen (tests, diagnostics). */
  onSlashed?: (log: EquivocationSlashedLog, own: boolean) => void;
  logger?: Logger;
}

/**
 * Follows the Slasher's `EquivocationSlashed` events from the L1 block at start on: a slash of one of this node's
 * attesters is logged as a warning and counted in `aztec_slasher_own_validator_slashed_total`; others are logged.
 */
export class SlashWatcher {
  private readonly log: Logger;
  private readonly own: Set<string>;
  private readonly loop: PollingLoop;
  private next: bigint | undefined;

  constructor(
    private readonly deps: SlashWatcherDeps,
    opts: { intervalMs: number },
  ) {
    this.log = deps.logger ?? createLogger('slasher');
    this.own = new Set(deps.ownAttesters.map(a => a.toLowerCase()));
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: Math.max(opts.intervalMs, 30_000),
      work: () => this.poll(),
      onError: (err, delayMs) => this.log.warn('Reading Slasher events failed', { err, retryInMs: delayMs }),
    });
  }

  /** Starts following from the current L1 block. */
  async start(): Promise<void> {
    this.next = await this.deps.l1.getBlockNumber();
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async poll(): Promise<void> {
    const head = await this.deps.l1.getBlockNumber();
    const from = this.next ?? head;
    if (from > head) return;
    for (const slash of await this.deps.slasher.getSlashedLogs(from, head)) {
      const own = this.own.has(slash.attester.toLowerCase());
      const fields = {
        attester: slash.attester,
        slot: slash.slot,
        offence: slash.offence,
        amount: slash.amount,
        reporter: slash.reporter,
        tx: slash.l1TxHash,
      };
      if (own) {
        this.deps.metrics.ownSlashed.inc({ offence: slash.offence });
        this.log.warn('One of our validators was slashed on L1 for equivocation', fields);
      } else {
        this.log.info('A validator was slashed on L1 for equivocation', fields);
      }
      this.deps.onSlashed?.(slash, own);
    }
    this.next = head + 1n;
  }
}
