import { describe, expect, it } from 'vitest';

import { ManualClock } from '../foundation/time/index.js';
import { L1Clock } from './l1-clock.js';

const T0 = 1_800_000_000;
const head = (number: number, timestamp: number) => ({
  number: BigInt(number),
  hash: `0x${number.toString(16)}-${timestamp}`,
  timestamp: BigInt(timestamp),
});

describe('L1Clock', () => {
  it('is the wall clock until a block is seen, then next block times follow the block time', () => {
    const wall = new ManualClock(T0 * 1000);
    const clock = new L1Clock(wall);
    expect(clock.nowMs()).toBe(T0 * 1000);
    expect(clock.nextBlockTimestamp(12)).toBe(BigInt(T0 + 12));

    wall.set(T0 * 1000 + 1500); // block T0 seen 1.5 s late, as on a real chain
    clock.observe(head(1, T0));
    expect(clock.nowMs()).toBe(T0 * 1000 + 1500 - 1500);
    expect(clock.nextBlockTimestamp(12)).toBe(BigInt(T0 + 12));
    wall.advance(12_000); // a slot with no block: the next one is a block time later still
    expect(clock.nextBlockTimestamp(12)).toBe(BigInt(T0 + 24));
  });

  it('follows an L1 behind the wall clock (an interval miner running late): the next block is the one after the newest', () => {
    const wall = new ManualClock(T0 * 1000);
    const clock = new L1Clock(wall);
    // Blocks every 2 s by their timestamps, each seen 3.2 s after its timestamp on the wall clock.
    for (let i = 0; i < 6; i++) {
      wall.set((T0 + 2 * i) * 1000 + 3200);
      clock.observe(head(i, T0 + 2 * i));
      expect(clock.nextBlockTimestamp(2)).toBe(BigInt(T0 + 2 * i + 2));
    }
    expect(clock.nowMs()).toBe((T0 + 10) * 1000);
  });

  it('follows a warp ahead at once, and a revert back by starting afresh', () => {
    const wall = new ManualClock(T0 * 1000);
    const clock = new L1Clock(wall);
    clock.observe(head(1, T0));
    wall.advance(1000);
    clock.observe(head(2, T0 + 3600)); // evm_increaseTime
    expect(clock.nowMs()).toBe((T0 + 3600) * 1000);
    wall.advance(1000);
    clock.observe(head(2, T0 + 1)); // evm_revert: an older head
    expect(clock.nowMs()).toBe((T0 + 1) * 1000);
  });

  it('uses the smallest delay of the last blocks seen', () => {
    const wall = new ManualClock(T0 * 1000);
    const clock = new L1Clock(wall);
    const delays = [900, 200, 700, 400];
    delays.forEach((d, i) => {
      wall.set((T0 + 12 * i) * 1000 + d);
      clock.observe(head(i, T0 + 12 * i));
    });
    expect(wall.nowMs() - clock.nowMs()).toBe(200);
    for (const i of [4, 5]) {
      wall.set((T0 + 12 * i) * 1000 + 800);
      clock.observe(head(i, T0 + 12 * i));
    }
    // The 200 ms sample is now five blocks old and dropped out: the best of 700, 400, 800, 800.
    expect(wall.nowMs() - clock.nowMs()).toBe(400);
  });
});
