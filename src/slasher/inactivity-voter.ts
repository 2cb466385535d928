import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { isAbortError, PollingLoop } from '../foundation/timers/index.js';
import type { SlashFactoryContract } from '../l1/contracts/slash-factory.js';
import type { SlasherContract, SlasherVoting } from '../l1/contracts/slasher.js';
import { decodeRevert, L1TxRevertedError } from '../l1/send.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import { offendersForRound, type InactivityRule, type InactivityStats, type SlashActionInput } from './inactivity.js';
import type { SlasherMetrics } from './metrics.js';

type Sender = Pick<L1TxSender, 'send' | 'address'>;

/** What an `InactivityVoter` works with. */
export interface InactivityVoterDeps {
  slasher: Pick<
    SlasherContract,
    'address' | 'encodeSignal' | 'encodeExecuteRound' | 'hasSignalled' | 'getRound' | 'isPayloadExecuted'
  >;
  factory: Pick<
    SlashFactoryContract,
    'address' | 'getPayloadAddress' | 'encodeCreatePayload' | 'isDeployed' | 'getActions'
  >;
  voting: SlasherVoting;
  epochDuration: bigint;
  /** The sentinel's counts; undefined while it has not started (nothing is signalled then). */
  stats: () => InactivityStats | undefined;
  /** The current L2 slot (on the node's L1 clock). */
  currentSlot(): bigint;
  /** The attester that proposes in `slot` (undefined with an empty committee). */
  proposerAt(slot: bigint): Promise<Address | undefined>;
  /** A sender of the L1 account registered as `attester`'s proposer (the only one the Slasher takes a signal from). */
  senderFor(attester: Address): Promise<Sender | undefined>;
  /** When `slot` ends: the signal must be mined before (the next slot has another proposer). */
  slotEnd?(slot: bigint): Date;
  /** This node's attesters: never voted against; only their slots are signalled in. */
  ownAttesters: readonly Address[];
  /** SLASH_VALIDATORS_NEVER: never voted against either. */
  never: readonly Address[];
  metrics: SlasherMetrics;
  /** Tests and diagnostics: each signal sent and each execution tried. */
  onSignal?: (e: { slot: bigint; round: bigint; payload: Address; actions: SlashActionInput[]; ok: boolean }) => void;
  onExecute?: (e: { round: bigint; payload: Address; outcome: 'executed' | 'rejected' | 'failed' }) => void;
  logger?: Logger;
}

/**
 * Slashing of inactive validators by proposer votes. In each slot one of this node's attesters proposes, it computes
 * the round's offenders from the sentinel (`offendersForRound`: canonical, so honest nodes agree), deploys their
 * payload through the SlashFactory unless it exists, and signals it on the Slasher from the attester's registered
 * proposer account; once per slot, never naming its own attesters nor SLASH_VALIDATORS_NEVER. In the same slots it
 * executes past rounds whose leading payload reached the quorum and whose veto window passed, unless the payload
 * names one of its own attesters (one node executing is enough: the proposers of the following slots take turns, and
 * a call after the round was executed is skipped, or reverts at gas estimation and costs nothing).
 *
 * Where this deviates from Aztec: Aztec's proposer bundles its slash vote into the block's L1 transaction (a
 * multicall with `propose`). Here the vote is its own transaction from the same account, sent at the start of the
 * slot whether or not a block follows; the sender sends one transaction at a time, so the block's transaction waits
 * for at most the signal's (and, once per round, the payload's deployment).
 */
export class InactivityVoter {
  private readonly log: Logger;
  private readonly own: Set<string>;
  private readonly loop: PollingLoop;
  /** The newest slot decided (signalled, or nothing to do). */
  private decidedSlot: bigint | undefined;
  /** The newest slot in which executable rounds were looked at. */
  private executedInSlot: bigint | undefined;
  /** Rounds whose execution was decided (executed, tried, or nothing to execute). */
  private readonly decidedRounds = new Set<bigint>();

  constructor(
    private readonly deps: InactivityVoterDeps,
    private readonly rule: InactivityRule,
    opts: { intervalMs: number },
  ) {
    this.log = deps.logger ?? createLogger('slasher');
    this.own = new Set(deps.ownAttesters.map(a => a.toLowerCase()));
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: Math.max(opts.intervalMs, 30_000),
      work: signal => this.work(signal),
      onError: (err, delayMs) => this.log.warn('Slashing vote failed', { err, retryInMs: delayMs }),
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One run now (tests); waits for a run in progress. */
  runOnce(): Promise<void> {
    return this.loop.runExclusive(() => this.work(new AbortController().signal));
  }

  private async work(signal: AbortSignal): Promise<void> {
    const slot = this.deps.currentSlot();
    if (this.decidedSlot !== undefined && slot <= this.decidedSlot) return;
    const proposer = await this.deps.proposerAt(slot);
    if (!proposer || !this.own.has(proposer.toLowerCase())) {
      this.decidedSlot = slot;
      return;
    }
    const sender = await this.deps.senderFor(proposer);
    if (!sender) {
      this.decidedSlot = slot;
      this.log.warn('Our validator proposes this slot but none of its publisher keys is its registered proposer', {
        slot,
        attester: proposer,
      });
      return;
    }
    // Signalling first: it must be mined within the slot. While the sentinel lags it is tried again next run.
    if (await this.signal(slot, sender, signal)) this.decidedSlot = slot;
    if (this.executedInSlot !== slot) {
      this.executedInSlot = slot;
      await this.executeRounds(slot, sender, signal);
    }
  }

  /** Signals this round's payload in `slot`; false when the sentinel has not settled the round's epochs yet. */
  private async signal(slot: bigint, sender: Sender, abort: AbortSignal): Promise<boolean> {
    const stats = this.deps.stats();
    if (!stats) return false;
    const round = slot / this.deps.voting.roundSize;
    const exclude = [...this.deps.ownAttesters, ...this.deps.never];
    const result = offendersForRound(
      stats,
      round,
      { roundSize: this.deps.voting.roundSize, epochDuration: this.deps.epochDuration },
      this.rule,
      exclude,
    );
    if ('notReady' in result) {
      this.log.debug('No slash vote this slot', { slot, round, reason: result.notReady });
      return result.notReady !== 'not_settled';
    }
    const actions = result.offenders;
    this.deps.metrics.offenders.set(actions.length);
    if (actions.length === 0) return true;
    if (await this.deps.slasher.hasSignalled(slot)) return true;
    const fields = {
      slot,
      round,
      epochs: `${result.window.firstEpoch}..${result.window.lastEpoch}`,
      offenders: actions.map(a => a.attester),
      amount: this.rule.penalty,
      from: sender.address,
    };
    const opts = { signal: abort, ...(this.deps.slotEnd ? { deadline: this.deps.slotEnd(slot) } : {}) };
    let payload: Address | undefined;
    try {
      // Tagged with the last epoch judged: the same offenders judged again over later epochs are another payload,
      // and a payload already executed (an earlier round of this window) is not voted for again.
      const tag = result.window.lastEpoch;
      payload = await this.deps.factory.getPayloadAddress(actions, tag);
      if (await this.deps.slasher.isPayloadExecuted(payload)) {
        this.log.debug('This window’s slash payload was executed already; no vote', { ...fields, payload });
        return true;
      }
      if (!(await this.deps.factory.isDeployed(payload))) {
        const created = await sender.send(
          { to: this.deps.factory.address, data: this.deps.factory.encodeCreatePayload(actions, tag) },
          opts,
        );
        this.log.info('Deployed the inactivity slash payload', { ...fields, payload, tx: created.transactionHash });
      }
      const receipt = await sender.send(
        { to: this.deps.slasher.address, data: this.deps.slasher.encodeSignal(payload) },
        opts,
      );
      const ok = receipt.status === 'success';
      this.deps.metrics.signals.inc({ outcome: ok ? 'signalled' : 'rejected' });
      this.log.info(ok ? 'Signalled an inactivity slash payload' : 'Our slash signal reverted', {
        ...fields,
        payload,
        tx: receipt.transactionHash,
      });
      this.deps.onSignal?.({ slot, round, payload, actions, ok });
    } catch (err) {
      if (isAbortError(err)) throw err;
      const rejected = err instanceof L1TxRevertedError;
      this.deps.metrics.signals.inc({ outcome: rejected ? 'rejected' : 'failed' });
      this.log.warn('Could not signal the inactivity slash payload', { ...fields, payload, error: decodeRevert(err) });
      if (payload) this.deps.onSignal?.({ slot, round, payload, actions, ok: false });
    }
    return true;
  }

  /** Executes the rounds that may be executed now, reached the quorum and were not executed nor vetoed. */
  private async executeRounds(slot: bigint, sender: Sender, abort: AbortSignal): Promise<void> {
    const { roundSize, executionDelayRounds: delay, lifetimeRounds: lifetime, quorum } = this.deps.voting;
    const current = slot / roundSize;
    const newest = current - 1n - delay;
    const oldest = current - delay - lifetime > 0n ? current - delay - lifetime : 0n;
    for (let round = oldest; round <= newest; round++) {
      if (this.decidedRounds.has(round)) continue;
      const state = await this.deps.slasher.getRound(round);
      this.decidedRounds.add(round);
      if (state.executed || state.vetoed || state.payloadExecuted || state.signals < quorum) continue;
      let actions: SlashActionInput[];
      try {
        actions = await this.deps.factory.getActions(state.leader);
      } catch (err) {
        this.log.warn('Not executing a slashing round: its payload’s actions cannot be read', {
          round,
          payload: state.leader,
          error: decodeRevert(err),
        });
        continue;
      }
      const ours = actions.filter(a => this.own.has(a.attester.toLowerCase()));
      if (ours.length > 0) {
        // Never act against our own keys: other nodes may execute it.
        this.log.warn('Not executing a slashing round whose payload names our validator', {
          round,
          payload: state.leader,
          validators: ours.map(a => a.attester),
        });
        continue;
      }
      let outcome: 'executed' | 'rejected' | 'failed';
      try {
        const receipt = await sender.send(
          { to: this.deps.slasher.address, data: this.deps.slasher.encodeExecuteRound(round) },
          { signal: abort },
        );
        outcome = receipt.status === 'success' ? 'executed' : 'rejected';
        this.log.info(outcome === 'executed' ? 'Executed a slashing round' : 'Our executeRound reverted', {
          round,
          payload: state.leader,
          signals: state.signals,
          tx: receipt.transactionHash,
        });
      } catch (err) {
        if (isAbortError(err)) throw err;
        outcome = err instanceof L1TxRevertedError ? 'rejected' : 'failed';
        // Most often another node executed it first.
        this.log.info('Could not execute a slashing round', { round, payload: state.leader, error: decodeRevert(err) });
      }
      this.deps.metrics.roundsExecuted.inc({ outcome });
      this.deps.onExecute?.({ round, payload: state.leader, outcome });
    }
  }
}
