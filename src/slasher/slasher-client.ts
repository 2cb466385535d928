import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { MetricsRegistry } from '../foundation/metrics/index.js';
import type { L1PublicClient } from '../l1/clients.js';
import type { EquivocationSlashedLog, SlasherContract } from '../l1/contracts/slasher.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import type { SlasherConfig } from './config.js';
import { EquivocationDetector, type Equivocation, type SignedDigest } from './detector.js';
import { slasherMetrics } from './metrics.js';
import { EquivocationReporter, type ReportOutcome } from './reporter.js';
import { SlashWatcher } from './watcher.js';

/** What a `SlasherClient` is built from. */
export interface SlasherClientDeps {
  l1: Pick<L1PublicClient, 'getBlockNumber'>;
  slasher: Pick<SlasherContract, 'address' | 'encodeSlashEquivocation' | 'getSlashedLogs'>;
  /** The node's L1 tx sender of a publisher key; none: equivocation is only logged. */
  sender: Pick<L1TxSender, 'send' | 'address'> | undefined;
  /** This node's attesters. */
  ownAttesters: readonly Address[];
  metrics: MetricsRegistry;
  /** How often the Slasher's events are read. */
  pollingIntervalMs: number;
  /** Longest random pause before a report is sent (see `EquivocationReporterDeps.maxJitterMs`). */
  maxJitterMs?: number;
  /** Tests and diagnostics: each equivocation's outcome, each slash seen on L1. */
  onReported?: (e: Equivocation, outcome: ReportOutcome) => void;
  onSlashed?: (log: EquivocationSlashedLog, own: boolean) => void;
  logger?: Logger;
}

/**
 * The node's slasher: finds equivocation in the signatures the validator client checked on gossip (`observe`),
 * reports it to the L1 Slasher (`SLASH_EQUIVOCATION_ENABLED`; never against its own attesters), and watches L1 for
 * slashes of its own attesters.
 */
export class SlasherClient {
  private readonly detector: EquivocationDetector;
  private readonly reporter: EquivocationReporter;
  private readonly watcher: SlashWatcher;
  private readonly log: Logger;
  private running = false;

  constructor(
    private readonly config: SlasherConfig,
    deps: SlasherClientDeps,
  ) {
    this.log = deps.logger ?? createLogger('slasher');
    const metrics = slasherMetrics(deps.metrics);
    this.reporter = new EquivocationReporter({
      slasher: deps.slasher,
      sender: deps.sender,
      ownAttesters: deps.ownAttesters,
      never: config.validatorsNever,
      metrics,
      ...(deps.maxJitterMs !== undefined ? { maxJitterMs: deps.maxJitterMs } : {}),
      logger: this.log,
    });
    this.detector = new EquivocationDetector(e => this.reporter.report(e, outcome => deps.onReported?.(e, outcome)));
    this.watcher = new SlashWatcher(
      {
        l1: deps.l1,
        slasher: deps.slasher,
        ownAttesters: deps.ownAttesters,
        metrics,
        logger: this.log,
        ...(deps.onSlashed ? { onSlashed: deps.onSlashed } : {}),
      },
      { intervalMs: deps.pollingIntervalMs },
    );
  }

  /** A signature the validator client checked on gossip (the validator's `SignedMessageObserver`). */
  readonly observe = (s: SignedDigest): void => {
    if (!this.running || !this.config.equivocationEnabled) return;
    // Called from the gossip validators: a fault here must not stop a message from being validated.
    try {
      this.detector.observe(s);
    } catch (err) {
      this.log.error('Equivocation detector failed on a signature', { err, slot: s.slot, signer: s.signer });
    }
  };

  async start(): Promise<void> {
    await this.watcher.start();
    this.running = true;
    this.log.info('Slasher started', { equivocation: this.config.equivocationEnabled });
  }

  /** Stops watching and aborts a report in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.reporter.stop();
    await this.watcher.stop();
    await this.reporter.idle();
  }
}
