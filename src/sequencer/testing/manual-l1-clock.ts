import { ManualClock } from '../../foundation/time/index.js';
import type { SequencerClock } from '../deps.js';

/**
 * A `ManualClock` that also answers the sequencer's "when is the next L1 block": L1 blocks fall on every multiple
 * of the L1 block time, so the next one is the first multiple after now (as `L1Clock` computes it when the latest
 * block is on time). Time moves only when the test moves it.
 */
export class ManualL1Clock extends ManualClock implements SequencerClock {
  nextBlockTimestamp(l1BlockTime: number): bigint {
    const step = Math.max(1, l1BlockTime);
    return BigInt((Math.floor(this.nowMs() / 1000 / step) + 1) * step);
  }

  /** Sets the time to `seconds` (may be fractional). */
  setSeconds(seconds: number): void {
    this.set(Math.round(seconds * 1000));
  }
}
