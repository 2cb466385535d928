/**
 * The node's notion of "now", injected wherever time decides something (slots, deadlines, timeouts): the node runs
 * on L1 time (`L1Clock`), tests on a `ManualClock`. Never read `Date.now()` for protocol time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

/** Whole seconds of a clock's time, as L1 timestamps count them. */
export function nowSeconds(clock: Clock): bigint {
  return BigInt(Math.floor(clock.nowMs() / 1000));
}

/** The machine's wall clock. */
export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that moves only when told to (unit tests). */
export class ManualClock implements Clock {
  constructor(private ms = 0) {}

  nowMs(): number {
    return this.ms;
  }

  /** Sets the time, in ms. */
  set(ms: number): void {
    this.ms = ms;
  }

  /** Moves the time forward by `ms`. */
  advance(ms: number): void {
    this.ms += ms;
  }
}
