import { describe, expect, it } from 'vitest';

import type { SingleValidatorStatsJson } from '../../sentinel/stats.js';
import { sentinelFigures } from './node-status.js';

describe('sentinelFigures', () => {
  it("shows the sentinel's counts, miss rates and longest current streak of one validator", () => {
    const stats: SingleValidatorStatsJson = {
      slotWindow: 96,
      validator: {
        address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
        totalSlots: 10,
        missedProposals: { currentStreak: 0, rate: 0.5, count: 1, total: 2 },
        missedAttestations: { currentStreak: 3, rate: 0.375, count: 3, total: 8 },
        proposals: { mined: 1, proposed: 0 },
        attestations: { sent: 5, seenOnGossip: 5, includedOnL1: 4 },
        history: [],
      },
      epochs: [],
    };
    expect(sentinelFigures(stats)).toEqual({
      'sentinel: slots with a duty': 10,
      'blocks mined': 1,
      'proposals missed': '1 (50.0%)',
      'attestations sent': 5,
      'attestations missed': '3 (37.5%)',
      'miss streak': 3,
    });
  });

  it('leaves the row without figures for a validator the sentinel has not seen, and a rate without duties as –', () => {
    expect(sentinelFigures(undefined)).toBeNull();
    const none = {
      slotWindow: 96,
      validator: {
        address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
        totalSlots: 0,
        missedProposals: { currentStreak: 0, count: 0, total: 0 },
        missedAttestations: { currentStreak: 0, count: 0, total: 0 },
        proposals: { mined: 0, proposed: 0 },
        attestations: { sent: 0, seenOnGossip: 0, includedOnL1: 0 },
        history: [],
      },
      epochs: [],
    } satisfies SingleValidatorStatsJson;
    expect(sentinelFigures(none)?.['proposals missed']).toBe('0 (–)');
  });
});
