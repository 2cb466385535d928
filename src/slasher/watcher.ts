import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { L1PublicClient } from '../l1/clients.js';
import { L1RangeFollower } from '../l1/range-follower.js';
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
  private readonly follower: L1RangeFollower;

  constructor(
    private readonly deps: SlashWatcherDeps,
    opts: { intervalMs: number },
  ) {
    this.log = deps.logger ?? createLogger('slasher');
    this.own = new Set(deps.ownAttesters.map(a => a.toLowerCase()));
    this.follower = new L1RangeFollower({
      l1: deps.l1,
      intervalMs: opts.intervalMs,
      read: (from, to) => this.read(from, to),
      onError: (err, retryInMs) => this.log.warn('Reading Slasher events failed', { err, retryInMs }),
    });
  }

  /** Starts following from the current L1 block. */
  async start(): Promise<void> {
    await this.follower.start();
  }

  async stop(): Promise<void> {
    await this.follower.stop();
  }

  private async read(from: bigint, head: bigint): Promise<void> {
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
  }
}
