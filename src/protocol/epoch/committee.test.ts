import { describe, expect, it } from 'vitest';

import { asEpoch, asSlot } from '../../foundation/types/branded.js';
import { proposerIndex, quorumSize, sampleCommitteeIndices } from './committee.js';

describe('sampleCommitteeIndices', () => {
  it('returns distinct in-range indices, min(target, size) of them', () => {
    for (const [size, target] of [
      [1, 4],
      [4, 4],
      [10, 4],
      [100, 48],
    ] as const) {
      const idx = sampleCommitteeIndices(123456789n, size, target);
      expect(idx).toHaveLength(Math.min(size, target));
      expect(new Set(idx).size).toBe(idx.length);
      for (const i of idx) expect(i >= 0 && i < size).toBe(true);
    }
  });

  it('is a permutation of the whole set when the set is not larger than the target', () => {
    expect([...sampleCommitteeIndices(42n, 4, 4)].sort()).toEqual([0, 1, 2, 3]);
  });

  it('depends on the seed', () => {
    const a = sampleCommitteeIndices(1n, 50, 10);
    const b = sampleCommitteeIndices(2n, 50, 10);
    expect(a).not.toEqual(b);
  });

  it('is empty for an empty set', () => {
    expect(sampleCommitteeIndices(1n, 0, 4)).toEqual([]);
  });
});

describe('proposerIndex / quorumSize', () => {
  it('picks a position inside the committee and varies with the slot', () => {
    const picks = new Set<number>();
    for (let s = 0n; s < 32n; s++) {
      const p = proposerIndex(asEpoch(0n), asSlot(s), 7n, 4);
      expect(p >= 0 && p < 4).toBe(true);
      picks.add(p);
    }
    expect(picks.size).toBeGreaterThan(1);
  });

  it('refuses an empty committee', () => {
    expect(() => proposerIndex(asEpoch(0n), asSlot(0n), 7n, 0)).toThrow(/empty committee/);
  });

  it('needs floor(2n/3)+1 attestations', () => {
    expect([0, 1, 2, 3, 4, 8, 48].map(quorumSize)).toEqual([0, 1, 2, 3, 3, 6, 33]);
  });
});
