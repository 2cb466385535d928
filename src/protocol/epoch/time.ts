import {
  asEpoch,
  asSlot,
  asUnixSeconds,
  type Epoch,
  type Slot,
  type UnixSeconds,
} from '../../foundation/types/branded.js';
import type { RollupTimeConstants } from '../../types/rollup-constants.js';

export type { RollupEpochConstants, RollupTimeConstants } from '../../types/rollup-constants.js';

/** Slot at an L1 timestamp (the Rollup's `getSlotAt`). Timestamps before genesis are slot 0. */
export function slotAt(ts: bigint, c: RollupTimeConstants): Slot {
  return ts < c.genesisTime ? asSlot(0n) : asSlot((ts - c.genesisTime) / c.slotDuration);
}

/** Epoch of a slot. */
export function epochOfSlot(slot: Slot, c: RollupTimeConstants): Epoch {
  return asEpoch(slot / c.epochDuration);
}

/** Epoch at an L1 timestamp (the Rollup's `getEpochAt`). */
export function epochAt(ts: bigint, c: RollupTimeConstants): Epoch {
  return epochOfSlot(slotAt(ts, c), c);
}

/** L1 timestamp at which a slot starts (the Rollup's `getTimestampForSlot`). */
export function timestampForSlot(slot: Slot, c: RollupTimeConstants): UnixSeconds {
  return asUnixSeconds(c.genesisTime + slot * c.slotDuration);
}

/** First slot of an epoch. */
export function firstSlotOfEpoch(epoch: Epoch, c: RollupTimeConstants): Slot {
  return asSlot(epoch * c.epochDuration);
}

/**
 * When the validator set of an epoch is frozen: the set as of the last L1 block before this timestamp is the one
 * sampled (the start of the previous epoch; genesis for epochs 0 and 1). See docs/l1-contracts.md.
 */
export function sampleTimestamp(epoch: Epoch, c: RollupTimeConstants): UnixSeconds {
  const prev = epoch > 0n ? epoch - 1n : 0n;
  return asUnixSeconds(c.genesisTime + prev * c.epochDuration * c.slotDuration);
}
