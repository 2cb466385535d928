import { describe, expect, it } from 'vitest';

import { asUnixSeconds } from '../../foundation/types/branded.js';
import { RollupBaseFees } from './base-fee-source.js';
import { computeBaseFees, type FeeInputs } from './fee-math.js';

const constants = { genesisTime: asUnixSeconds(1_000n), slotDuration: 8n, epochDuration: 8n };

/** A source over a fake Rollup whose L1 base fee is the timestamp asked about, at a clock set to `nowS`. */
function sourceAt(nowS: number) {
  const asked: bigint[] = [];
  const rollup = {
    getFeeInputsAt: (ts: bigint): Promise<FeeInputs> => {
      asked.push(ts);
      return Promise.resolve({ l1BaseFee: ts * 1_000n, blobFee: 2n, excessMana: 0n });
    },
  };
  const source = new RollupBaseFees({ rollup, constants, clock: { nowMs: () => nowS * 1000 } }, { intervalMs: 60_000 });
  return { source, asked };
}

async function until(fn: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !fn(); i++) await new Promise(r => setTimeout(r, 10));
  expect(fn()).toBe(true);
}

describe('RollupBaseFees', () => {
  it('serves the next slot’s fees as current, computed from the Rollup’s inputs', async () => {
    const { source, asked } = sourceAt(1_000 + 8 * 5 + 3); // 3 s into slot 5
    await source.start();
    await source.stop();
    expect(new Set(asked)).toEqual(new Set([1_000n + 8n * 6n]));
    expect(source.current()).toEqual(computeBaseFees({ l1BaseFee: 1_048_000n, blobFee: 2n, excessMana: 0n }));
  });

  it('reads again only when the next slot changed or after invalidate()', async () => {
    let nowS = 1_000 + 8 * 5 + 3;
    const asked: bigint[] = [];
    const rollup = {
      getFeeInputsAt: (ts: bigint): Promise<FeeInputs> => {
        asked.push(ts);
        return Promise.resolve({ l1BaseFee: ts * 1_000n, blobFee: 2n, excessMana: BigInt(asked.length) });
      },
    };
    const source = new RollupBaseFees({ rollup, constants, clock: { nowMs: () => nowS * 1000 } }, { intervalMs: 5 });
    await source.start();
    await new Promise(r => setTimeout(r, 50));
    expect(asked).toEqual([1_048n]); // polled several times, read once
    source.invalidate();
    await until(() => asked.length === 2);
    expect(source.current()).toEqual(computeBaseFees({ l1BaseFee: 1_048_000n, blobFee: 2n, excessMana: 2n }));
    nowS += 8; // slot 6: the next slot is 7
    await until(() => asked.length === 3);
    await source.stop();
    expect(asked).toEqual([1_048n, 1_048n, 1_056n]);
  });

  it('before genesis, the next slot is slot 0', () => {
    expect(sourceAt(500).source.nextSlotTimestamp()).toBe(1_000n);
    expect(sourceAt(999).source.nextSlotTimestamp()).toBe(1_000n);
    expect(sourceAt(1_000).source.nextSlotTimestamp()).toBe(1_008n);
  });

  it('has no current fees before it was started', () => {
    expect(() => sourceAt(1_000).source.current()).toThrow(/start\(\)/);
  });

  it('prices a block at a given time with the inputs at that time', async () => {
    const { source, asked } = sourceAt(1_000);
    expect(await source.at(1_016n)).toEqual(computeBaseFees({ l1BaseFee: 1_016_000n, blobFee: 2n, excessMana: 0n }));
    expect(asked).toEqual([1_016n]);
  });
});
