import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { isAbortError, sleep } from '../foundation/timers/index.js';
import type { SlasherContract } from '../l1/contracts/slasher.js';
import { L1TxRevertedError } from '../l1/send.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import type { Equivocation } from './detector.js';
import type { SlasherMetrics } from './metrics.js';

/** What an `EquivocationReporter` works with. */
export interface EquivocationReporterDeps {
  slasher: Pick<SlasherContract, 'address' | 'encodeSlashEquivocation'>;
  /** Sends the evidence (a publisher key of this node); none: equivocation is logged, not reported. */
  sender: Pick<L1TxSender, 'send' | 'address'> | undefined;
  /** This node's attesters: never reported. */
  ownAttesters: readonly Address[];
  /** `SLASH_VALIDATORS_NEVER`: never reported either. */
  never: readonly Address[];
  metrics: SlasherMetrics;
  /**
   * Longest random pause before sending (default 0). Every honest node sees the same pair at about the same time;
   * a pause of a few L1 blocks lets the first report land, and the others' gas estimates then revert
   * (`Slasher__AlreadySlashed`) instead of their transactions being mined and reverting.
   */
  maxJitterMs?: number;
  logger?: Logger;
}

/** What became of one equivocation handed to the reporter. */
export type ReportOutcome = 'own' | 'never' | 'no_sender' | 'slashed' | 'rejected' | 'failed' | 'stopped';

/**
 * Sends equivocation evidence to the L1 Slasher, one transaction at a time, through the node's L1 tx sender. Never
 * against this node's own attesters (nor those of `SLASH_VALIDATORS_NEVER`). Another node may have reported the same
 * pair first: the Slasher then refuses it (`Slasher__AlreadySlashed`) and the gas estimate says so, nothing is spent.
 */
export class EquivocationReporter {
  private readonly log: Logger;
  private readonly own: Set<string>;
  private readonly never: Set<string>;
  private queue: Promise<void> = Promise.resolve();
  private controller = new AbortController();

  constructor(private readonly deps: EquivocationReporterDeps) {
    this.log = deps.logger ?? createLogger('slasher');
    this.own = new Set(deps.ownAttesters.map(a => a.toLowerCase()));
    this.never = new Set(deps.never.map(a => a.toLowerCase()));
  }

  /** Queues `e` for reporting; `onOutcome` (tests, diagnostics) hears what became of it. */
  report(e: Equivocation, onOutcome?: (outcome: ReportOutcome) => void): void {
    const run = this.queue.then(() => this.handle(e));
    this.queue = run.then(
      outcome => onOutcome?.(outcome),
      (err: unknown) => this.log.error('Reporting an equivocation failed', { err }),
    );
  }

  /** Resolves once everything queued so far was handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Aborts the send in progress; later reports are dropped. */
  stop(): void {
    this.controller.abort();
  }

  private async handle(e: Equivocation): Promise<ReportOutcome> {
    const who = e.attester.toLowerCase();
    const fields = { attester: e.attester, slot: e.slot, kinds: e.kinds };
    const own = this.own.has(who);
    this.deps.metrics.equivocations.inc({ own: String(own) });
    if (own) {
      // Our own key signed twice: slashing protection was bypassed or the key runs elsewhere too.
      this.log.error('One of our validators signed two different digests for one slot; not reporting it', fields);
      return 'own';
    }
    if (this.never.has(who)) {
      this.log.warn('Equivocation by a validator in SLASH_VALIDATORS_NEVER; not reporting it', fields);
      return 'never';
    }
    if (!this.deps.sender) {
      this.log.warn('Equivocation seen; no publisher key to report it with', fields);
      return 'no_sender';
    }
    try {
      await sleep(Math.floor(Math.random() * (this.deps.maxJitterMs ?? 0)), this.controller.signal);
    } catch {
      return 'stopped';
    }
    this.log.warn('Equivocation seen; submitting the evidence to the L1 Slasher', fields);
    const data = this.deps.slasher.encodeSlashEquivocation(e.a, e.b);
    try {
      const receipt = await this.deps.sender.send(
        { to: this.deps.slasher.address, data },
        { signal: this.controller.signal },
      );
      if (receipt.status === 'success') {
        this.deps.metrics.evidence.inc({ outcome: 'slashed' });
        this.log.info('Equivocation slashed on L1', { ...fields, tx: receipt.transactionHash });
        return 'slashed';
      }
      this.deps.metrics.evidence.inc({ outcome: 'rejected' });
      this.log.warn('The Slasher reverted our evidence', { ...fields, tx: receipt.transactionHash });
      return 'rejected';
    } catch (err) {
      if (isAbortError(err)) return 'stopped';
      if (err instanceof L1TxRevertedError) {
        this.deps.metrics.evidence.inc({ outcome: 'rejected' });
        // Most often another node's report landed first.
        this.log.info('The Slasher refused our evidence', { ...fields, reason: err.reason });
        return 'rejected';
      }
      this.deps.metrics.evidence.inc({ outcome: 'failed' });
      this.log.warn('Could not submit equivocation evidence', { ...fields, err });
      return 'failed';
    }
  }
}
