import type { z } from 'zod';

import type { SingleValidatorStatsSchema } from '../../../sentinel/schema.js';

type SingleValidatorStats = z.output<typeof SingleValidatorStatsSchema>;

const percent = (rate: number | undefined) => (rate === undefined ? 'n/a' : `${(rate * 100).toFixed(1)}%`);

/** How many of the newest slot statuses `get-info --validator` lists. */
const RECENT = 16;

/**
 * The lines `aztec get-info --validator <address>` prints for one validator: its misses (rate, current streak),
 * what it did, its last duties, its epochs and its newest statuses; or why there is nothing to show.
 */
export function validatorStatsLines(address: string, stats: SingleValidatorStats | null): string[] {
  if (stats === null) {
    return [
      `Validator ${address}: no duty recorded by this node's sentinel (not in a committee during the slots it keeps, ` +
        'or the node started too recently)',
    ];
  }
  const v = stats.validator;
  const window = stats.fromSlot !== undefined ? `slots ${stats.fromSlot}–${stats.toSlot}` : 'no slots yet';
  const lines = [
    `Validator ${v.address} (${window} of a ${stats.slotWindow}-slot window; duties in ${v.totalSlots} slots)`,
    `  Proposals: ${v.proposals.mined} mined, ${v.proposals.proposed} proposed but not on L1, ` +
      `${v.missedProposals.count} missed of ${v.missedProposals.total} ` +
      `(missed ${percent(v.missedProposals.rate)}, current streak ${v.missedProposals.currentStreak})`,
    `  Attestations: ${v.attestations.sent} sent (${v.attestations.seenOnGossip} seen on gossip, ` +
      `${v.attestations.includedOnL1} included on L1), ${v.missedAttestations.count} missed of ` +
      `${v.missedAttestations.total} (missed ${percent(v.missedAttestations.rate)}, current streak ` +
      `${v.missedAttestations.currentStreak})`,
    `  Last proposal: ${v.lastProposal ? `slot ${v.lastProposal.slot} (${v.lastProposal.date})` : 'none'}`,
    `  Last attestation: ${v.lastAttestation ? `slot ${v.lastAttestation.slot} (${v.lastAttestation.date})` : 'none'}`,
  ];
  if (stats.epochs.length > 0) {
    lines.push('  Epochs:');
    for (const e of stats.epochs) {
      lines.push(
        `    epoch ${e.epoch}: proposals ${e.proposals.made} made, ${e.proposals.missed} missed; ` +
          `attestations ${e.attestations.sent} sent, ${e.attestations.missed} missed`,
      );
    }
  }
  const recent = v.history.slice(-RECENT);
  lines.push(`  Recent slots: ${recent.map(h => `${h.slot} ${h.status}`).join(', ')}`);
  return lines;
}
