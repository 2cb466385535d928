import { describe, expect, it } from 'vitest';

import { validatorStatsLines } from './validator-stats-lines.js';

const ADDRESS = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

describe('get-info --validator lines', () => {
  it('prints misses with rates and streaks, where attestations were seen, epochs and recent statuses', () => {
    const lines = validatorStatsLines(ADDRESS.toLowerCase(), {
      slotWindow: 192,
      lastProcessedSlot: '20',
      initialSlot: '10',
      fromSlot: '10',
      toSlot: '20',
      validator: {
        address: ADDRESS,
        totalSlots: 4,
        lastProposal: { slot: '12', timestamp: '1096', date: '1970-01-01T00:18:16.000Z' },
        lastAttestation: { slot: '13', timestamp: '1104', date: '1970-01-01T00:18:24.000Z' },
        missedProposals: { currentStreak: 1, rate: 0.5, count: 1, total: 2 },
        missedAttestations: { currentStreak: 0, rate: 0.5, count: 1, total: 2 },
        proposals: { mined: 1, proposed: 0 },
        attestations: { sent: 1, seenOnGossip: 1, includedOnL1: 0 },
        history: [
          { slot: '11', status: 'attestation-missed' },
          { slot: '12', status: 'block-mined' },
          { slot: '13', status: 'attestation-sent' },
          { slot: '17', status: 'block-missed' },
        ],
      },
      epochs: [
        { epoch: '1', proposals: { made: 1, missed: 0 }, attestations: { sent: 1, missed: 1 } },
        { epoch: '2', proposals: { made: 0, missed: 1 }, attestations: { sent: 0, missed: 0 } },
      ],
    });
    expect(lines).toEqual([
      `Validator ${ADDRESS} (slots 10–20 of a 192-slot window; duties in 4 slots)`,
      '  Proposals: 1 mined, 0 proposed but not on L1, 1 missed of 2 (missed 50.0%, current streak 1)',
      '  Attestations: 1 sent (1 seen on gossip, 0 included on L1), 1 missed of 2 (missed 50.0%, current streak 0)',
      '  Last proposal: slot 12 (1970-01-01T00:18:16.000Z)',
      '  Last attestation: slot 13 (1970-01-01T00:18:24.000Z)',
      '  Epochs:',
      '    epoch 1: proposals 1 made, 0 missed; attestations 1 sent, 1 missed',
      '    epoch 2: proposals 0 made, 1 missed; attestations 0 sent, 0 missed',
      '  Recent slots: 11 attestation-missed, 12 block-mined, 13 attestation-sent, 17 block-missed',
    ]);
  });

  it('says why there is nothing for a validator without recorded duties', () => {
    expect(validatorStatsLines(ADDRESS, null)).toEqual([
      `Validator ${ADDRESS}: no duty recorded by this node's sentinel (not in a committee during the slots it keeps, or the node started too recently)`,
    ]);
  });
});
