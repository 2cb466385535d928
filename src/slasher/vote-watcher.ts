import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { L1PublicClient } from '../l1/clients.js';
import { L1RangeFollower } from '../l1/range-follower.js';
import type { SlashActionArg } from '../l1/contracts/slash-factory.js';
import type { SlasherContract, SlashSignalledLog, VotedSlashLog } from '../l1/contracts/slasher.js';
import type { SlasherMetrics } from './metrics.js';

/** What a `VoteWatcher` works with. */
export interface VoteWatcherDeps {
  l1: Pick<L1PublicClient, 'getBlockNumber'>;
  slasher: Pick<SlasherContract, 'getSignalledLogs' | 'getVotedSlashLogs'>;
  /** The actions of a signalled payload. */
  payloadActions(payload: Address): Promise<SlashActionArg[]>;
  /** This node's attesters: a payload naming one is a warning and a metric. */
  ownAttesters: readonly Address[];
  metrics: SlasherMetrics;
  /** Tests and diagnostics: each signal seen with our attesters it names; each voted slash seen. */
  onSignalled?: (log: SlashSignalledLog, ours: readonly Address[]) => void;
  onVotedSlash?: (log: VotedSlashLog, own: boolean) => void;
  logger?: Logger;
}

/**
 * Follows the Slasher's votes from the L1 block at start on: a signalled payload that names one of this node's
 * attesters is a warning naming it and `aztec_slasher_own_attester_in_payload_total{stage="signalled"}` (once per
 * round and payload); an executed one that slashed it is a warning, `{stage="executed"}` and
 * `aztec_slasher_own_validator_slashed_total{offence="inactivity"}`.
 */
export class VoteWatcher {
  private readonly log: Logger;
  private readonly own: Set<string>;
  private readonly follower: L1RangeFollower;
  private readonly actions = new Map<Address, SlashActionArg[]>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly deps: VoteWatcherDeps,
    opts: { intervalMs: number },
  ) {
    this.log = deps.logger ?? createLogger('slasher');
    this.own = new Set(deps.ownAttesters.map(a => a.toLowerCase()));
    this.follower = new L1RangeFollower({
      l1: deps.l1,
      intervalMs: opts.intervalMs,
      read: (from, to) => this.read(from, to),
      onError: (err, retryInMs) => this.log.warn('Reading Slasher votes failed', { err, retryInMs }),
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
    for (const s of await this.deps.slasher.getSignalledLogs(from, head)) {
      let actions = this.actions.get(s.payload);
      if (!actions) {
        try {
          actions = await this.deps.payloadActions(s.payload);
        } catch (err) {
          // Any contract can be signalled; one whose getActions() fails cannot be executed either. Not retried, so
          // it cannot stall the watcher.
          this.log.warn('Could not read the actions of a signalled slash payload', { payload: s.payload, err });
          actions = [];
        }
        this.actions.set(s.payload, actions);
      }
      const ours = actions.filter(a => this.own.has(a.attester.toLowerCase())).map(a => a.attester);
      const key = `${s.round}:${s.payload}`;
      if (ours.length > 0 && !this.warned.has(key)) {
        this.warned.add(key);
        this.deps.metrics.ownInPayload.inc({ stage: 'signalled' });
        this.log.warn('The network signalled a slash payload that names our validator', {
          validators: ours,
          round: s.round,
          payload: s.payload,
          signaler: s.signaler,
          tx: s.l1TxHash,
        });
      }
      this.deps.onSignalled?.(s, ours);
    }
    for (const v of await this.deps.slasher.getVotedSlashLogs(from, head)) {
      const own = this.own.has(v.attester.toLowerCase());
      const fields = { validator: v.attester, round: v.round, amount: v.amount, tx: v.l1TxHash };
      if (own) {
        this.deps.metrics.ownInPayload.inc({ stage: 'executed' });
        this.deps.metrics.ownSlashed.inc({ offence: 'inactivity' });
        this.log.warn('One of our validators was slashed on L1 by a voted payload (inactivity)', fields);
      } else {
        this.log.info('A validator was slashed on L1 by a voted payload', fields);
      }
      this.deps.onVotedSlash?.(v, own);
    }
  }
}
