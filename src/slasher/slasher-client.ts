import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { MetricsRegistry } from '../foundation/metrics/index.js';
import type { L1PublicClient } from '../l1/clients.js';
import { SlashFactoryContract } from '../l1/contracts/slash-factory.js';
import type { EquivocationSlashedLog, SlasherContract } from '../l1/contracts/slasher.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import type { SlasherConfig } from './config.js';
import { EquivocationDetector, type Equivocation, type SignedDigest } from './detector.js';
import { InactivityVoter, type InactivityVoterDeps } from './inactivity-voter.js';
import { slasherMetrics, type SlasherMetrics } from './metrics.js';
import { EquivocationReporter, type ReportOutcome } from './reporter.js';
import { VoteWatcher, type VoteWatcherDeps } from './vote-watcher.js';
import { SlashWatcher } from './watcher.js';

/** What a `SlasherClient` is built from. */
export interface SlasherClientDeps {
  l1: Pick<L1PublicClient, 'getBlockNumber'>;
  slasher: Pick<
    SlasherContract,
    | 'address'
    | 'client'
    | 'encodeSlashEquivocation'
    | 'getSlashedLogs'
    | 'getVoting'
    | 'encodeSignal'
    | 'encodeExecuteRound'
    | 'hasSignalled'
    | 'getRound'
    | 'isPayloadExecuted'
    | 'getSignalledLogs'
    | 'getVotedSlashLogs'
  >;
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
  /** Tests and diagnostics: votes seen on L1. */
  onSignalled?: VoteWatcherDeps['onSignalled'];
  onVotedSlash?: VoteWatcherDeps['onVotedSlash'];
  /**
   * What voting against inactive validators needs (slots, proposers, senders, the sentinel); absent (no sequencer or
   * no sentinel): this node does not vote, it only watches the votes of others.
   */
  inactivity?: Pick<
    InactivityVoterDeps,
    'epochDuration' | 'stats' | 'currentSlot' | 'proposerAt' | 'senderFor' | 'slotEnd' | 'onSignal' | 'onExecute'
  >;
  logger?: Logger;
}

/**
 * The node's slasher: finds equivocation in the signatures the validator client checked on gossip (`observe`),
 * reports it to the L1 Slasher (`SLASH_EQUIVOCATION_ENABLED`; never against its own attesters), votes against
 * inactive validators in its proposers' slots and executes voted rounds (`SLASH_INACTIVITY_ENABLED`, with
 * `deps.inactivity`; never against its own attesters), and watches L1 for slashes of, and votes against, its own
 * attesters.
 */
export class SlasherClient {
  private readonly detector: EquivocationDetector;
  private readonly reporter: EquivocationReporter;
  private readonly watcher: SlashWatcher;
  private readonly metrics: SlasherMetrics;
  private voteWatcher: VoteWatcher | undefined;
  private voter: InactivityVoter | undefined;
  private readonly log: Logger;
  private running = false;

  constructor(
    private readonly config: SlasherConfig,
    private readonly deps: SlasherClientDeps,
  ) {
    this.log = deps.logger ?? createLogger('slasher');
    const metrics = slasherMetrics(deps.metrics);
    this.metrics = metrics;
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
    const { deps, config } = this;
    const voting = await deps.slasher.getVoting();
    const factory = new SlashFactoryContract(deps.slasher.client, voting.slashFactory);
    const intervalMs = deps.pollingIntervalMs;
    this.voteWatcher = new VoteWatcher(
      {
        l1: deps.l1,
        slasher: deps.slasher,
        payloadActions: p => factory.getActions(p),
        ownAttesters: deps.ownAttesters,
        metrics: this.metrics,
        logger: this.log,
        ...(deps.onSignalled ? { onSignalled: deps.onSignalled } : {}),
        ...(deps.onVotedSlash ? { onVotedSlash: deps.onVotedSlash } : {}),
      },
      { intervalMs },
    );
    if (config.inactivityEnabled && deps.inactivity && deps.ownAttesters.length > 0) {
      this.voter = new InactivityVoter(
        {
          ...deps.inactivity,
          slasher: deps.slasher,
          factory,
          voting,
          ownAttesters: deps.ownAttesters,
          never: config.validatorsNever,
          metrics: this.metrics,
          logger: this.log,
        },
        {
          targetPercentage: config.inactivityTargetPercentage,
          epochs: config.inactivityEpochs,
          penalty: config.inactivityPenalty,
        },
        { intervalMs },
      );
    }
    await this.watcher.start();
    await this.voteWatcher.start();
    this.voter?.start();
    this.running = true;
    this.log.info('Slasher started', {
      equivocation: config.equivocationEnabled,
      inactivityVotes: this.voter !== undefined,
      ...(this.voter
        ? {
            inactivityTargetPercentage: config.inactivityTargetPercentage,
            inactivityEpochs: config.inactivityEpochs,
            inactivityPenalty: config.inactivityPenalty,
          }
        : {}),
    });
  }

  /** Inactivity votes: one run now (tests); no-op when this node does not vote. */
  async voteOnce(): Promise<void> {
    await this.voter?.runOnce();
  }

  /** Stops watching and voting and aborts a report in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.reporter.stop();
    await this.voter?.stop();
    await this.voteWatcher?.stop();
    await this.watcher.stop();
    await this.reporter.idle();
  }
}
