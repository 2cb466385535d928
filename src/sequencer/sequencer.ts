import type { Address } from 'viem';

import { epochOfSlot, slotAt, timestampForSlot } from '../epoch/time.js';
import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { PollingLoop } from '../foundation/timers/polling-loop.js';
import { asL2BlockNumber, asSlot, asUnixSeconds, type Slot } from '../foundation/types/branded.js';
import { RollupAbi } from '../l1/generated/index.js';
import { asFr } from '../types/fr.js';
import type { GlobalVariables } from '../types/header.js';
import type { WorldStateFork } from '../world-state/types.js';
import type { SequencerDeps } from './deps.js';
import { decodeRevert } from '../l1/send.js';
import type { SequencerState } from './state.js';
import { checkDeadline, SequencerTooSlowError, type Timetable } from './timetable.js';

/** The sequencer's settings (from SEQ_* and the validator's keys). */
export interface SequencerOptions {
  enforceTimeTable: boolean;
  minTxsPerBlock: number;
  maxTxsPerBlock: number;
  coinbase: Address;
  /** L2 address that receives the fees. */
  feeRecipient: bigint;
  pollingIntervalMs: number;
  timetable: Timetable;
}

/** Why a slot was not used, for the log and the tests. */
export interface SlotOutcome {
  slot: Slot;
  published: boolean;
  reason?: string;
}

/**
 * The sequencer: an explicit state machine (IDLE → SYNCHRONIZING → PROPOSER_CHECK → INITIALIZING_PROPOSAL →
 * CREATING_BLOCK → COLLECTING_ATTESTATIONS → PUBLISHING_BLOCK) run once per slot by a loop that never overlaps
 * itself. It builds on a fork that it always discards: the block enters the world state when the archiver
 * downloads it from L1, the same path every other node takes. With `enforceTimeTable`, each state must start
 * before its deadline in the slot.
 */
export class Sequencer {
  private state: SequencerState = 'IDLE';
  private readonly loop: PollingLoop;
  private lastSlot: bigint = -1n;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Outcome of each slot this node was proposer of (most recent last; bounded). */
  readonly outcomes: SlotOutcome[] = [];

  constructor(
    private readonly opts: SequencerOptions,
    private readonly deps: SequencerDeps,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('sequencer');
    this.now = deps.now ?? Date.now;
    this.loop = new PollingLoop({
      intervalMs: opts.pollingIntervalMs,
      maxBackoffMs: opts.pollingIntervalMs * 8,
      work: async () => {
        try {
          await this.work();
        } finally {
          this.state = 'IDLE';
        }
      },
      onError: err => this.log.error('Sequencer iteration failed', { error: errorMessage(err) }),
    });
  }

  getState(): SequencerState {
    return this.state;
  }

  start(): void {
    this.log.info('Sequencer started', { attester: this.deps.attester, publisher: this.deps.publisher.address });
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.state = 'IDLE';
  }

  private setState(state: SequencerState, slot: Slot | undefined): void {
    if (slot !== undefined && this.opts.enforceTimeTable) {
      const start = Number(timestampForSlot(slot, this.deps.constants));
      checkDeadline(this.opts.timetable, state, this.now() / 1000 - start);
    }
    this.state = state;
  }

  /** One pass: returns once the slot is published, skipped, or not ours. */
  async work(): Promise<void> {
    const { deps } = this;
    this.setState('SYNCHRONIZING', undefined);
    const [pending, latestL1] = await Promise.all([
      deps.publicClient.readContract({ address: deps.rollup, abi: RollupAbi, functionName: 'getPendingBlockNumber' }),
      deps.publicClient.getBlock({ blockTag: 'latest' }),
    ]);
    const archived = deps.blocks.getLatestBlockNumber();
    const applied = deps.worldState.getBlockNumber();
    if (archived !== pending || applied !== pending) {
      this.log.debug('Not synced yet', { l1Pending: pending, archiver: archived, worldState: applied });
      return;
    }

    // The propose tx lands in the next L1 block: build for that block's slot.
    const nextTs = latestL1.timestamp + BigInt(deps.l1BlockTime);
    const prunable = await deps.publicClient.readContract({
      address: deps.rollup,
      abi: RollupAbi,
      functionName: 'canPruneAtTime',
      args: [nextTs],
    });
    if (prunable) {
      // The unproven epoch's window passed: drop it on L1 first; the archiver then unwinds every node to the proven
      // tip, and the next block builds on it.
      await deps.publisher.prune();
      return;
    }
    const slot = slotAt(nextTs, deps.constants);
    if (slot <= this.lastSlot) return;
    this.setState('PROPOSER_CHECK', slot);
    const proposer = await deps.epochCache.getProposerAttester(slot, latestL1.timestamp);
    if (proposer !== undefined && proposer.toLowerCase() !== deps.attester.toLowerCase()) return;
    this.lastSlot = slot;
    const archive = deps.worldState.getRoot('archive');
    try {
      await deps.publicClient.readContract({
        address: deps.rollup,
        abi: RollupAbi,
        functionName: 'canProposeAtTime',
        args: [nextTs, `0x${archive.toString(16).padStart(64, '0')}`],
        account: deps.publisher.address,
      });
    } catch (err) {
      return this.skip(slot, `L1 says we cannot propose: ${decodeRevert(err)}`);
    }
    try {
      await this.propose(slot, pending);
    } catch (err) {
      if (err instanceof SequencerTooSlowError) return this.skip(slot, err.message);
      throw err;
    }
  }

  private async propose(slot: Slot, pending: bigint): Promise<void> {
    const { deps, opts } = this;
    this.setState('INITIALIZING_PROPOSAL', slot);
    const txs = deps.txs.getPendingTxs(opts.maxTxsPerBlock * 2);
    if (txs.length < opts.minTxsPerBlock) {
      return this.skip(slot, `not enough txs: ${txs.length} pending, SEQ_MIN_TX_PER_BLOCK is ${opts.minTxsPerBlock}`);
    }
    const blockNumber = pending + 1n;
    const globals: GlobalVariables = {
      chainId: BigInt(deps.l1ChainId),
      version: deps.rollupVersion,
      blockNumber: asL2BlockNumber(blockNumber),
      slotNumber: slot,
      timestamp: asUnixSeconds(timestampForSlot(slot, deps.constants)),
      coinbase: opts.coinbase,
      feeRecipient: asFr(opts.feeRecipient),
      gasFees: deps.baseFees(),
    };

    this.setState('CREATING_BLOCK', slot);
    const fork: WorldStateFork = deps.worldState.fork();
    try {
      const built = await deps.buildBlock({
        fork,
        txs,
        globals,
        l1ToL2Messages: deps.blocks.getL1ToL2Messages(blockNumber),
        maxTxs: opts.maxTxsPerBlock,
      });
      for (const f of built.failed) this.log.verbose('Tx left out of the block', { reason: f.reason });
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
        committee,
        quorum,
        deadline: new Date(slotEnd - deps.l1BlockTime * 1000),
      });
      if ('reason' in collected) return this.skip(slot, collected.reason);

      this.setState('PUBLISHING_BLOCK', slot);
      const result = await deps.publisher.propose(
        {
          block: built.block,
          blobs: built.blobs,
          versionedHashes: built.versionedHashes,
          attestations: collected.attestations,
          committeeSize: committee.length,
        },
        new Date(slotEnd),
      );
      if (!result.published) return this.skip(slot, result.reason);
      this.record({ slot, published: true });
    } finally {
      fork.discard();
    }
  }

  private skip(slot: Slot, reason: string): void {
    this.log.info(`Skipped slot ${slot}`, { reason });
    this.record({ slot, published: false, reason });
  }

  private record(o: SlotOutcome): void {
    this.outcomes.push(o);
    if (this.outcomes.length > 256) this.outcomes.shift();
  }
}
