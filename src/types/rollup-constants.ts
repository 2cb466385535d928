import type { UnixSeconds } from '../foundation/types/branded.js';

/** The rollup's clock constants, as read from the Rollup contract. */
export interface RollupTimeConstants {
  genesisTime: UnixSeconds;
  /** Seconds per slot. */
  slotDuration: bigint;
  /** Slots per epoch. */
  epochDuration: bigint;
}

/** The clock constants plus the committee size: what committee and proposer computation needs. */
export interface RollupEpochConstants extends RollupTimeConstants {
  targetCommitteeSize: number;
}
