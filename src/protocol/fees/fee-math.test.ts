import { describe, expect, it } from 'vitest';

import {
  computeBaseFees,
  congestionMultiplier,
  CONGESTION_UPDATE_FRACTION,
  excessManaAfter,
  fakeExponential,
  MANA_TARGET,
  MAX_EXCESS_MANA,
} from './fee-math.js';

const GWEI = 1_000_000_000n;
const MAX_U128 = (1n << 128n) - 1n;

// The same values as contracts/test/Fees.t.sol.
describe('fee math', () => {
  it('prices L2 gas by L1 gas per block over the mana target, DA gas by the blob price', () => {
    expect(computeBaseFees({ l1BaseFee: 3n * GWEI, blobFee: 5n, excessMana: 0n })).toEqual({
      feePerDaGas: 5n,
      feePerL2Gas: 900_000_000n,
    });
    expect(computeBaseFees({ l1BaseFee: 1n, blobFee: 1n, excessMana: 0n }).feePerL2Gas).toBe(1n);
    expect(computeBaseFees({ l1BaseFee: 0n, blobFee: 0n, excessMana: 0n }).feePerL2Gas).toBe(0n);
  });

  it('approximates the exponential as EIP-4844 does', () => {
    expect(fakeExponential(1n, 2n, 1n)).toBe(6n);
    expect(fakeExponential(38493n, 0n, 1000n)).toBe(38493n);
    expect(congestionMultiplier(0n)).toBe(1_000_000_000n);
    expect(congestionMultiplier(CONGESTION_UPDATE_FRACTION)).toBe(2_718_281_828n);
    expect(congestionMultiplier(MANA_TARGET)).toBe(1_124_847_036n);
  });

  it('multiplies the L2 fee by the congestion, not the DA fee', () => {
    const base = computeBaseFees({ l1BaseFee: 3n * GWEI, blobFee: 5n, excessMana: 0n });
    const congested = computeBaseFees({ l1BaseFee: 3n * GWEI, blobFee: 5n, excessMana: CONGESTION_UPDATE_FRACTION });
    expect(congested.feePerL2Gas).toBe((base.feePerL2Gas * 2_718_281_828n) / 1_000_000_000n);
    expect(congested.feePerDaGas).toBe(base.feePerDaGas);
  });

  it('accumulates excess mana above target, floored at zero and capped', () => {
    expect(excessManaAfter(0n, MANA_TARGET)).toBe(0n);
    expect(excessManaAfter(0n, MANA_TARGET / 2n)).toBe(0n);
    expect(excessManaAfter(0n, 3n * MANA_TARGET)).toBe(2n * MANA_TARGET);
    expect(excessManaAfter(2n * MANA_TARGET, 0n)).toBe(MANA_TARGET);
    expect(excessManaAfter(0n, 1n << 255n)).toBe(MAX_EXCESS_MANA);
  });

  it('caps extreme inputs at u128', () => {
    const huge = (1n << 256n) - 1n;
    expect(computeBaseFees({ l1BaseFee: huge, blobFee: huge, excessMana: huge })).toEqual({
      feePerDaGas: MAX_U128,
      feePerL2Gas: MAX_U128,
    });
  });
});
