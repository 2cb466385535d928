import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { isAbortError, PollingLoop } from '../foundation/timers/index.js';
import { asL2BlockNumber, asSlot, asUnixSeconds, type Slot } from '../foundation/types/branded.js';
import { decodeRevert } from '../l1/send.js';
import { epochOfSlot, slotAt, timestampForSlot } from '../protocol/epoch/time.js';
import { asFr, frToHex } from '../types/fr.js';
import type { GlobalVariables } from '../types/header.js';
import type { SequencerDeps, SequencerPublisher, SequencerValidator } from './deps.js';
import type { SequencerState } from './state.js';
import { checkDeadline, SequencerTooSlowError, type Timetable } from './timetable.js';

/** The sequencer's settings (from SEQ_* and the validator's keys). */
export interface SequencerOptions {
  enforceTimeTable: boolean;
  minTxsPerBlock: number;
  maxTxsPerBlock: number;
  pollingIntervalMs: number;
  timetable: Timetable;
}

/** Why a slot was not used, for the log and the tests. */
export interface SlotOutcome {
  slot: Slot;
  published: boolean;
  /** The state the slot was given up in. */
  state?: SequencerState;
  reason?: string;
}

/** Outcomes kept for `outcomes` (most recent last). */
const OUTCOMES_KEPT = 256;

/**
 * The sequencer: an explicit state machine (IDLE → SYNCHRONIZING → PROPOSER_CHECK → INITIALIZING_PROPOSAL →
 * CREATING_BLOCK → COLLECTING_ATTESTATIONS → PUBLISHING_BLOCK) run by a loop that never overlaps itself, on L1 time
 * (the injected clock). It builds on a fork that it always discards: the block enters the world state when the
 * archiver downloads it from L1, the path every other node takes. With `enforceTimeTable`, each state must start
 * before its deadline in the slot. `stop()` aborts the slot in progress (attestation collection, the L1 wait).
 */
export class Sequencer {
  private state: SequencerState = 'IDLE';
  private readonly loop: PollingLoop;
  private lastSlot: bigint = -1n;
  private running = false;
  private readonly log: Logger;
  /** Outcome of each slot this node was proposer of (most recent last; bounded). */
  readonly outcomes: SlotOutcome[] = [];

  constructor(
    private readonly opts: SequencerOptions,
    private readonly deps: SequencerDeps,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('sequencer');
    this.loop = new PollingLoop({
      intervalMs: opts.pollingIntervalMs,
      maxBackoffMs: opts.pollingIntervalMs * 8,
      work: async signal => {
        try {
          await this.work(signal);
        } catch (err) {
          if (!isAbortError(err)) throw err;
        } finally {
          this.state = 'IDLE';
        }
      },
      onError: err => this.log.error('Sequencer iteration failed', { state: this.state, error: errorMessage(err) }),
    });
  }

  getState(): SequencerState {
    return this.state;
  }

  /** Whether the loop runs (for readiness). */
  isRunning(): boolean {
    return this.running;
  }

  start(): void {
    this.log.info('Sequencer started', {
      attesters: this.deps.validators.map(v => v.attester),
      publishers: this.deps.validators.map(v => v.publishers.map(p => p.address)),
    });
    this.running = true;
    this.loop.start();
  }

  /** Stops the loop, aborting the slot in progress; resolves once it has returned. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop.stop();
    this.state = 'IDLE';
  }

  /** Enters `state`; with the timetable enforced, throws `SequencerTooSlowError` past the state's deadline. */
  private setState(state: SequencerState, slot: Slot | undefined): void {
    if (slot !== undefined && this.opts.enforceTimeTable) {
      const start = Number(timestampForSlot(slot, this.deps.constants));
      checkDeadline(this.opts.timetable, state, this.deps.clock.nowMs() / 1000 - start);
    }
    if (state !== this.state) this.log.debug(`Entering ${state}`, { slot, l1Time: this.deps.clock.nowMs() / 1000 });
    this.state = state;
  }

  /** One pass: returns once the slot is published, skipped, or not ours. */
  async work(signal: AbortSignal = new AbortController().signal): Promise<void> {
    const { deps } = this;
    this.setState('SYNCHRONIZING', undefined);
    const { pending } = await deps.rollup.getTips();
    const archived = deps.blocks.getLatestBlockNumber();
    const applied = deps.worldState.getBlockNumber();
    if (archived !== pending || applied !== pending) {
      this.log.debug('Not synced yet', { l1Pending: pending, archiver: archived, worldState: applied });
      return;
    }

    // The propose tx lands in the next L1 block: build for that block's slot.
    const nextTs = deps.clock.nextBlockTimestamp(deps.l1BlockTime);
    if (nextTs < deps.constants.genesisTime) return; // slot 0 has not begun
    if (await deps.rollup.canPruneAtTime(nextTs)) {
      // The unproven epoch's window passed: drop it on L1 first; the archiver then unwinds every node to the proven
      // tip, and the next block builds on it.
      const pruner = deps.validators[0]?.publishers[0];
      if (pruner) await pruner.prune(signal);
      return;
    }
    const slot = slotAt(nextTs, deps.constants);
    if (slot <= this.lastSlot) return;
    try {
      // The deadline is checked once the slot is known to be ours: a slot of another proposer is not ours to give
      // up (and would be given up again on every pass until it ends).
      this.setState('PROPOSER_CHECK', undefined);
      const proposer = await deps.epochCache.getProposerAttester(slot);
      // No proposer (an empty committee): anyone may propose, and our first validator does.
      const validator =
        proposer === undefined
          ? deps.validators[0]
          : deps.validators.find(v => v.attester.toLowerCase() === proposer.toLowerCase());
      if (!validator) return;
      this.lastSlot = slot;
      this.setState('PROPOSER_CHECK', slot);
      const held = deps.signingRefusal?.(validator.attester);
      if (held !== undefined) return this.skip(slot, held);
      const publisher = await (deps.pickPublisher ?? (ps => Promise.resolve(ps[0])))(validator.publishers);
      if (!publisher) {
        return this.skip(slot, `no publisher of attester ${validator.attester} has enough ETH to publish`);
      }
      const archive = frToHex(deps.worldState.getRoot('archive'));
      try {
        await deps.rollup.canProposeAtTime(nextTs, archive, publisher.address);
      } catch (err) {
        return this.skip(slot, `L1 says we cannot propose: ${decodeRevert(err)}`);
      }
      await this.propose(slot, pending, signal, validator, publisher);
    } catch (err) {
      if (err instanceof SequencerTooSlowError) return this.skip(slot, err.message);
      throw err;
    }
  }

  private async propose(
    slot: Slot,
    pending: bigint,
    signal: AbortSignal,
    validator: SequencerValidator,
    publisher: SequencerPublisher,
  ): Promise<void> {
    const { deps, opts } = this;
    this.setState('INITIALIZING_PROPOSAL', slot);
    const txs = deps.txs.getPendingTxs(opts.maxTxsPerBlock * 2);
    if (txs.length < opts.minTxsPerBlock) {
      return this.skip(slot, `not enough txs: ${txs.length} pending, SEQ_MIN_TX_PER_BLOCK is ${opts.minTxsPerBlock}`);
    }
    const blockNumber = pending + 1n;
    const timestamp = timestampForSlot(slot, deps.constants);
    const globals: GlobalVariables = {
      chainId: BigInt(deps.l1ChainId),
      version: deps.rollupVersion,
      blockNumber: asL2BlockNumber(blockNumber),
      slotNumber: slot,
      timestamp: asUnixSeconds(timestamp),
      coinbase: validator.coinbase,
      feeRecipient: asFr(validator.feeRecipient),
      gasFees: await deps.baseFees(timestamp),
    };

    this.setState('CREATING_BLOCK', slot);
    const slotStart = Number(timestamp);
    const buildDeadline = (slotStart + opts.timetable.COLLECTING_ATTESTATIONS) * 1000;
    const fork = deps.worldState.fork();
    try {
      const endBuild = deps.metrics?.startBuild();
      const built = await deps.buildBlock({
        fork,
        txs,
        globals,
        l1ToL2Messages: deps.blocks.getL1ToL2Messages(blockNumber),
        maxTxs: opts.maxTxsPerBlock,
        shouldStop: () => signal.aborted || (opts.enforceTimeTable && deps.clock.nowMs() >= buildDeadline),
      });
      endBuild?.();
      for (const f of built.failed) {
        this.log.verbose('Tx left out of the block', { code: f.rejection.code, reason: f.rejection.reason });
      }
      if (built.included.length < opts.minTxsPerBlock) {
        return this.skip(
          slot,
          `only ${built.included.length} valid txs, SEQ_MIN_TX_PER_BLOCK is ${opts.minTxsPerBlock}`,
        );
      }

      this.setState('COLLECTING_ATTESTATIONS', slot);
      const epoch = epochOfSlot(slot, deps.constants);
      const { committee, quorum } = await deps.epochCache.getCommittee(epoch);
      const slotEnd = Number(timestampForSlot(asSlot(slot + 1n), deps.constants)) * 1000;
      const collected = await deps.attestations.collect({
        built,
        proposer: validator.attester,
        committee,
        quorum,
        deadline: new Date(slotEnd - deps.l1BlockTime * 1000),
        signal,
      });
      if ('reason' in collected) return this.skip(slot, collected.reason);

      this.setState('PUBLISHING_BLOCK', slot);
      const endPublish = deps.metrics?.startPublish();
      const result = await publisher.propose(
        {
          block: built.block,
          blobs: built.blobs,
          versionedHashes: built.versionedHashes,
          attestations: collected.attestations,
          committeeSize: committee.length,
        },
        new Date(slotEnd),
        signal,
      );
      endPublish?.();
      if (result.published) deps.metrics?.gasUsed(result.receipt.gasUsed);
      if (!result.published) return this.skip(slot, result.reason);
      this.record({ slot, published: true });
    } finally {
      fork.discard();
    }
  }

  /** Gives the slot up, saying in which step and why. */
  private skip(slot: Slot, reason: string): void {
    this.log.info(`Skipped slot ${slot} in ${this.state}`, { reason });
    this.record({ slot, published: false, state: this.state, reason });
  }

  private record(o: SlotOutcome): void {
    this.deps.metrics?.slot(o);
    this.outcomes.push(o);
    if (this.outcomes.length > OUTCOMES_KEPT) this.outcomes.shift();
  }
}
