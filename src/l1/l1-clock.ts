import { systemClock, type Clock } from '../foundation/time/index.js';

/** What the clock keeps of an L1 block. */
export interface L1BlockHead {
  number: bigint;
  hash: string;
  timestamp: bigint;
  /** Its parent's hash (the head watcher's heads have it): whether a new head extends the one before. */
  parentHash?: string;
}

/** How many of the newest blocks the offset is estimated from. */
const SAMPLES = 4;

/**
 * The node's one clock: L1 time, as the wall clock plus an offset estimated from the blocks seen. A block is seen
 * after it was made, so `timestamp − wall time at first sight` is at most L1's true offset; the largest of that over
 * the last few blocks is the tightest estimate. It follows an L1 ahead of the wall clock (anvil's time warped, as
 * tests do, or a machine whose clock lags) and one behind it (anvil's interval miner, whose timestamps run late
 * under load); on a real chain it is the wall clock less a block's propagation delay. A block that does not extend
 * the newest one (a reorg, anvil's `evm_revert`) starts the estimate afresh.
 * Fed by `L1HeadWatcher` (or by tests); every component that reasons in slots reads it.
 */
export class L1Clock implements Clock {
  private readonly samples: number[] = [];
  private offsetMs = 0;
  private latest: L1BlockHead | undefined;

  constructor(private readonly wall: Clock = systemClock) {}

  /** A block seen on L1 (call with the newest on every poll; only a new block's first sight counts). */
  observe(head: L1BlockHead): void {
    if (this.latest?.hash === head.hash) return;
    if (this.latest && (head.number <= this.latest.number || head.timestamp < this.latest.timestamp)) {
      this.samples.length = 0;
    }
    this.latest = head;
    this.samples.push(Number(head.timestamp) * 1000 - this.wall.nowMs());
    if (this.samples.length > SAMPLES) this.samples.shift();
    this.offsetMs = Math.max(...this.samples);
  }

  nowMs(): number {
    return this.wall.nowMs() + this.offsetMs;
  }

  /** The newest L1 block seen, if any. */
  latestBlock(): L1BlockHead | undefined {
    return this.latest;
  }

  /**
   * The timestamp the next L1 block will have, on an L1 with a block every `l1BlockTime` seconds: the first block
   * time after now, counted from the newest block seen (now + one block time when none was seen).
   */
  nextBlockTimestamp(l1BlockTime: number): bigint {
    const now = this.nowMs() / 1000;
    const step = Math.max(1, l1BlockTime);
    if (!this.latest) return BigInt(Math.floor(now + step));
    const last = Number(this.latest.timestamp);
    const blocks = Math.max(1, Math.floor((now - last) / step) + 1);
    return this.latest.timestamp + BigInt(blocks * step);
  }
}
