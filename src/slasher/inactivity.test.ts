import { getAddress, type Address } from 'viem';
import { describe, expect, it } from 'vitest';

import {
  computeOffenders,
  inactivityWindow,
  offendersForRound,
  type InactivityStats,
  type ValidatorDuties,
} from './inactivity.js';

const addr = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, '0')}`);
const A = addr(0xa1);
const B = addr(0xb2);
const C = addr(0xc3);
// Mixed-case checksummed, lexicographically after C as text but numerically smaller than B: ordering is numeric.
const D = getAddress('0x00000000000000000000000000000000000000aF');
const rule = { targetPercentage: 0.9, penalty: 7n };
const duties = (validator: Address, total: number, missed: number): ValidatorDuties => ({
  validator,
  duties: total,
  missed,
});

describe('computeOffenders', () => {
  it('takes validators that missed at least the target share in every epoch, at the penalty', () => {
    const epochs = [
      [duties(A, 10, 9), duties(B, 10, 8), duties(C, 4, 4)],
      [duties(A, 5, 5), duties(B, 10, 10), duties(C, 4, 3)],
    ];
    // A: 90 % and 100 % (at the target counts); B: 80 % in the first; C: 75 % in the second.
    expect(computeOffenders(epochs, rule, [])).toEqual([{ attester: A, amount: 7n }]);
    expect(computeOffenders(epochs, { ...rule, targetPercentage: 0.75 }, [])).toEqual([
      { attester: A, amount: 7n },
      { attester: B, amount: 7n },
      { attester: C, amount: 7n },
    ]);
  });

  it('needs a duty in every epoch: a validator absent from one epoch is not an offender', () => {
    const epochs = [[duties(A, 3, 3), duties(B, 3, 3)], [duties(B, 3, 3)], [duties(A, 0, 0), duties(B, 2, 2)]];
    expect(computeOffenders(epochs, rule, []).map(a => a.attester)).toEqual([B]);
  });

  it('never names our own attesters nor SLASH_VALIDATORS_NEVER, whatever the case of the addresses', () => {
    const epochs = [[duties(A, 2, 2), duties(B, 2, 2), duties(C, 2, 2)]];
    const exclude = [A.toLowerCase() as Address, C.toUpperCase().replace('0X', '0x') as Address];
    expect(computeOffenders(epochs, rule, exclude).map(a => a.attester)).toEqual([B]);
  });

  it('orders attesters ascending as numbers whatever order the stats came in, so every node gets one list', () => {
    const epochs = [[duties(C, 1, 1), duties(B, 1, 1), duties(D, 1, 1), duties(A, 1, 1)]];
    const reordered = [[duties(A, 1, 1), duties(D, 1, 1), duties(C, 1, 1), duties(B, 1, 1)]];
    const list = computeOffenders(epochs, rule, []);
    expect(list.map(a => a.attester)).toEqual([A, D, B, C]);
    expect(computeOffenders(reordered, rule, [])).toEqual(list);
  });

  it('is empty without epochs or offenders', () => {
    expect(computeOffenders([], rule, [])).toEqual([]);
    expect(computeOffenders([[duties(A, 10, 1)]], rule, [])).toEqual([]);
  });
});

describe('inactivityWindow', () => {
  it('judges the N epochs that ended at least two slots before the round, fixed for the whole round', () => {
    // Rounds of 4 slots, epochs of 8: round 4 starts at slot 16; epoch 1 (slots 8..15) ended one slot before, too
    // late; epochs before it ended by slot 7.
    expect(inactivityWindow(4n, 4n, 8n, 1)).toEqual({ firstEpoch: 0n, lastEpoch: 0n, fromSlot: 0n, toSlot: 7n });
    expect(inactivityWindow(5n, 4n, 8n, 2)).toEqual({ firstEpoch: 0n, lastEpoch: 1n, fromSlot: 0n, toSlot: 15n });
    expect(inactivityWindow(6n, 4n, 8n, 2)).toEqual({ firstEpoch: 0n, lastEpoch: 1n, fromSlot: 0n, toSlot: 15n });
    expect(inactivityWindow(7n, 4n, 8n, 2)).toEqual({ firstEpoch: 1n, lastEpoch: 2n, fromSlot: 8n, toSlot: 23n });
  });

  it('is undefined before N epochs have passed', () => {
    expect(inactivityWindow(0n, 4n, 8n, 1)).toBeUndefined();
    expect(inactivityWindow(2n, 4n, 8n, 1)).toBeUndefined();
    expect(inactivityWindow(4n, 4n, 8n, 2)).toBeUndefined();
  });
});

describe('offendersForRound', () => {
  /** A sentinel that settled `[initial, last]`, where A misses everything and B nothing. */
  const stats = (initial: bigint, last: bigint): InactivityStats & { asked: [bigint, bigint][] } => {
    const asked: [bigint, bigint][] = [];
    return {
      asked,
      dutiesIn: (from, to) => {
        asked.push([from, to]);
        return { lastProcessedSlot: last, initialSlot: initial, validators: [duties(A, 8, 8), duties(B, 8, 0)] };
      },
    };
  };
  const constants = { roundSize: 4n, epochDuration: 8n };
  const fullRule = { ...rule, epochs: 2 };

  it('reads the window epoch by epoch and names the offenders', () => {
    const s = stats(0n, 30n);
    const r = offendersForRound(s, 7n, constants, fullRule, []);
    expect(r).toEqual({
      window: { firstEpoch: 1n, lastEpoch: 2n, fromSlot: 8n, toSlot: 23n },
      offenders: [{ attester: A, amount: 7n }],
    });
    expect(s.asked).toEqual([
      [8n, 15n],
      [16n, 23n],
    ]);
  });

  it('waits while the window is not settled, and refuses a history that starts inside it', () => {
    expect(offendersForRound(stats(0n, 22n), 7n, constants, fullRule, [])).toEqual({ notReady: 'not_settled' });
    expect(offendersForRound(stats(9n, 30n), 7n, constants, fullRule, [])).toEqual({ notReady: 'history_too_short' });
    expect(offendersForRound(stats(0n, 30n), 1n, constants, fullRule, [])).toEqual({ notReady: 'too_early' });
  });
});
