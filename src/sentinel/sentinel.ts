import type { Address, Hex } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { nowSeconds, type Clock } from '../foundation/time/index.js';
import { PollingLoop } from '../foundation/timers/index.js';
import { asSlot, type Epoch, type Slot } from '../foundation/types/branded.js';
import { epochOfSlot, slotAt, timestampForSlot, type RollupTimeConstants } from '../protocol/epoch/time.js';
import { proposalDigest, recoverAttester, type Attestation } from '../protocol/proposal-digest.js';
import { frToHex, type Fr } from '../types/fr.js';
import type { BlockHeader } from '../types/header.js';
import type { SentinelMetrics } from './metrics.js';
import { missedDuty, slotDuties, type SlotObservation } from './slot-duties.js';
import type { SentinelStore } from './store.js';

/** The archiver's chain, as the sentinel reads it. */
export interface SentinelChain {
  getLatestBlockNumber(): bigint;
  getBlockHeader(n: bigint): BlockHeader | undefined;
  getPublishedBlock(
    n: bigint,
  ): { block: { archive: { root: Fr } }; headerHash: Fr; l1: { signatures?: readonly Attestation[] } } | undefined;
}

/** What gossip showed per slot (the validator client's pools); absent without P2P. */
export interface SentinelGossip {
  proposersAt(slot: bigint): readonly Address[];
  attestersAt(slot: bigint): readonly Address[];
}

/** What a `Sentinel` works with. */
export interface SentinelDeps {
  store: SentinelStore;
  chain: SentinelChain;
  epochs: {
    getCommittee(epoch: Epoch): Promise<{ committee: readonly Address[] }>;
    getProposerAttester(slot: Slot): Promise<Address | undefined>;
  };
  constants: RollupTimeConstants;
  /** L1 time, and the newest L1 block seen (to tell how far the archiver's sync reaches in time). */
  clock: Clock & { latestBlock(): { number: bigint; timestamp: bigint } | undefined };
  /** The L1 block the archiver has synced to (undefined before its first sync). */
  archiverSyncedL1(): bigint | undefined;
  gossip?: SentinelGossip | undefined;
  /** Recovers the attesters of a block from its L1 signatures. */
  l1ChainId: number;
  rollup: Address;
  /** This node's attesters: their misses are counted on `aztec_sentinel_missed_duties_total`. */
  ownValidators: readonly Address[];
  metrics?: SentinelMetrics | undefined;
}

/** How many slots one run settles at most (a long backlog is worked off over several runs). */
const SLOTS_PER_RUN = 64;
/** How many recent L1 heads are kept to date the archiver's sync point. */
const HEADS_KEPT = 256;

/**
 * Watches every validator's duties. A slot is settled two slots after it ended (room for late gossip) once the
 * archiver has synced L1 past the slot's end: its proposer and committee from the epoch cache, its block and the
 * block's signers from L1 (the archiver's store), the proposals and attestations seen on gossip from the validator
 * client. Slots the node did not watch on gossip (before this start, or without P2P) are settled from L1 alone,
 * back to the history window. Each slot's duties land in LMDB with the cursor, so a restart resumes where it stopped.
 */
export class Sentinel {
  private readonly log: Logger;
  private readonly loop: PollingLoop;
  private readonly heads: { number: bigint; timestamp: bigint }[] = [];
  /** Slots after this one were watched on gossip (set at start). */
  private watchedAfter: bigint | undefined;

  constructor(
    private readonly deps: SentinelDeps,
    opts: { intervalMs: number },
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('sentinel');
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: Math.max(opts.intervalMs, 30_000),
      work: signal => this.work(signal),
      onError: (err, delayMs) => this.log.warn('Sentinel run failed', { error: errorMessage(err), retryInMs: delayMs }),
    });
  }

  /** Starts watching: slots from now on are watched on gossip; missed ones since the last run are settled from L1. */
  start(): void {
    const current = this.currentSlot();
    this.watchedAfter = current;
    const last = this.deps.store.getLastProcessedSlot();
    this.log.info('Sentinel started', {
      slot: current,
      lastProcessedSlot: last,
      gossip: this.deps.gossip !== undefined,
      historySlots: this.deps.store.historySlots,
    });
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One run now (tests); waits for a run in progress. */
  runOnce(): Promise<void> {
    return this.loop.runExclusive(() => this.work(new AbortController().signal));
  }

  private currentSlot(): Slot {
    return slotAt(nowSeconds(this.deps.clock), this.deps.constants);
  }

  /** The next slot to settle: after the last stored, but no further back than the window (nor before genesis). */
  private nextSlot(current: bigint): bigint {
    const last = this.deps.store.getLastProcessedSlot();
    // The oldest slot the window keeps once the newest settleable one (current - 2) is settled.
    const oldest = current - 1n - BigInt(this.deps.store.historySlots);
    if (last === undefined) return (this.watchedAfter ?? current) + 1n;
    const next = last + 1n;
    return next > oldest ? next : oldest > 0n ? oldest : 0n;
  }

  /** How far in L1 time the archiver's sync reaches: the timestamp of the newest L1 head seen at or below it. */
  private syncedUntil(): bigint | undefined {
    const head = this.deps.clock.latestBlock();
    if (head && this.heads.at(-1)?.number !== head.number) {
      this.heads.push({ number: head.number, timestamp: head.timestamp });
      if (this.heads.length > HEADS_KEPT) this.heads.shift();
    }
    const synced = this.deps.archiverSyncedL1();
    if (synced === undefined) return undefined;
    let until: bigint | undefined;
    for (const h of this.heads) if (h.number <= synced) until = h.timestamp;
    return until;
  }

  private async work(signal: AbortSignal): Promise<void> {
    const syncedUntil = this.syncedUntil();
    if (syncedUntil === undefined) return;
    const current = this.currentSlot();
    let slot = this.nextSlot(current);
    const readyUpTo = current - 2n;
    if (slot > readyUpTo) return;
    let upTo = slot + BigInt(SLOTS_PER_RUN) - 1n < readyUpTo ? slot + BigInt(SLOTS_PER_RUN) - 1n : readyUpTo;
    // The archiver must have synced L1 past the end of a slot before its block (or its absence) is known.
    while (upTo >= slot && timestampForSlot(asSlot(upTo + 1n), this.deps.constants) > syncedUntil) upTo--;
    if (upTo < slot) return;
    const blocks = this.blocksBySlot(slot, upTo);
    for (; slot <= upTo && !signal.aborted; slot++) await this.settle(slot, blocks.get(slot));
  }

  /** The archiver's blocks with a slot in `[from, to]`, by slot (walking down from the newest block). */
  private blocksBySlot(from: bigint, to: bigint): Map<bigint, bigint> {
    const found = new Map<bigint, bigint>();
    for (let n = this.deps.chain.getLatestBlockNumber(); n >= 1n; n--) {
      const slot = this.deps.chain.getBlockHeader(n)?.globalVariables.slotNumber;
      if (slot === undefined || slot < from) break;
      if (slot <= to) found.set(slot, n);
    }
    return found;
  }

  private async settle(slot: bigint, blockNumber: bigint | undefined): Promise<void> {
    const s = asSlot(slot);
    const { committee } = await this.deps.epochs.getCommittee(epochOfSlot(s, this.deps.constants));
    const proposer = committee.length > 0 ? await this.deps.epochs.getProposerAttester(s) : undefined;
    const watched = this.deps.gossip !== undefined && this.watchedAfter !== undefined && slot > this.watchedAfter;
    const observation: SlotObservation = {
      committee,
      proposer,
      l1Block: blockNumber === undefined ? undefined : { attesters: await this.l1Attesters(blockNumber) },
      gossip:
        watched && this.deps.gossip
          ? { proposers: this.deps.gossip.proposersAt(slot), attesters: this.deps.gossip.attestersAt(slot) }
          : undefined,
    };
    const duties = slotDuties(observation);
    this.deps.store.recordSlot(slot, duties);
    this.deps.metrics?.lastProcessedSlot.set(Number(slot));
    const missedBy: string[] = [];
    for (const [validator, duty] of duties) {
      const miss = missedDuty(duty.status);
      if (!miss) continue;
      missedBy.push(`${validator} (${miss})`);
      const own = this.deps.ownValidators.find(v => v.toLowerCase() === validator);
      if (own) {
        this.deps.metrics?.missedDuties.inc({ validator: own, duty: miss });
        this.log.warn(`Our validator missed its ${miss} duty`, { slot, validator: own });
      }
    }
    this.log.debug('Settled slot', {
      slot,
      watched,
      block: blockNumber,
      proposer,
      committee: committee.length,
      missed: missedBy,
    });
  }

  /** The signers of a block's L1 attestations (none known for a block stored without its signatures). */
  private async l1Attesters(blockNumber: bigint): Promise<Address[]> {
    const published = this.deps.chain.getPublishedBlock(blockNumber);
    if (!published) return [];
    const digest: Hex = proposalDigest(
      this.deps.l1ChainId,
      this.deps.rollup,
      frToHex(published.headerHash),
      frToHex(published.block.archive.root),
    );
    const signers: Address[] = [];
    for (const sig of published.l1.signatures ?? []) {
      try {
        signers.push(await recoverAttester(digest, sig));
      } catch {
        // L1 checked these signatures; one that does not recover here is skipped rather than failing the slot.
      }
    }
    return signers;
  }
}
