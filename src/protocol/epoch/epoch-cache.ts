import type { Address } from 'viem';

import { createLogger, type Logger } from '../../foundation/log/index.js';
import type { Epoch, Slot } from '../../foundation/types/branded.js';
import { proposerIndex, quorumSize, sampleCommitteeIndices } from './committee.js';
import type { CommitteeReader } from '../../l1/contracts/rollup.js';
import { nowSeconds, type Clock } from '../../foundation/time/index.js';
import type { RollupEpochConstants } from '../../types/rollup-constants.js';
import { epochAt, epochOfSlot, sampleTimestamp, slotAt } from './time.js';

/** The committee of one epoch and what it is derived from. */
export interface EpochCommittee {
  epoch: Epoch;
  seed: bigint;
  /** Attester addresses in committee order. */
  committee: Address[];
  /** Attestations needed for a block in this epoch. */
  quorum: number;
}

/**
 * Computes committees and proposers on the node's side (the same algorithm as the Rollup), reading only the
 * frozen validator set and the seed from L1. A committee is cached once it can no longer change: its validator
 * set is frozen (L1 time has passed its sampling time) and its seed is fixed (its previous epoch has begun).
 */
export class EpochCache {
  private readonly cache = new Map<bigint, EpochCommittee>();
  private readonly log: Logger;

  constructor(
    private readonly reader: CommitteeReader,
    private readonly constants: RollupEpochConstants,
    /** L1 time: decides when a committee can no longer change and may be cached. */
    private readonly clock: Clock,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('epoch-cache');
  }

  /** The committee of `epoch`, as of L1 time `now` (the clock's when absent). */
  async getCommittee(epoch: Epoch, now?: bigint): Promise<EpochCommittee> {
    const hit = this.cache.get(epoch);
    if (hit) return hit;
    const at = now ?? nowSeconds(this.clock);
    const ts = sampleTimestamp(epoch, this.constants);
    const [seed, size] = await Promise.all([this.reader.getSampleSeed(epoch), this.reader.attesterCountAt(ts)]);
    const indices = sampleCommitteeIndices(seed, size, this.constants.targetCommitteeSize);
    const committee = await Promise.all(indices.map(i => this.reader.attesterAtIndexAt(i, ts)));
    const result: EpochCommittee = { epoch, seed, committee, quorum: quorumSize(committee.length) };
    const current = epochAt(at, this.constants);
    if (at >= ts && current + 1n >= epoch) {
      this.cache.set(epoch, result);
      this.log.debug('Committee computed', { epoch, size: committee.length, seed });
    }
    return result;
  }

  /** The attester whose turn it is at `slot`; undefined with an empty committee (anyone may propose). */
  async getProposerAttester(slot: Slot, now?: bigint): Promise<Address | undefined> {
    const epoch = epochOfSlot(slot, this.constants);
    const { committee, seed } = await this.getCommittee(epoch, now);
    if (committee.length === 0) return undefined;
    return committee[proposerIndex(epoch, slot, seed, committee.length)];
  }

  /** Slot of an L1 timestamp under this rollup's clock. */
  slotAt(ts: bigint): Slot {
    return slotAt(ts, this.constants);
  }

  /** The current slot, by the clock. */
  currentSlot(): Slot {
    return slotAt(nowSeconds(this.clock), this.constants);
  }
}
