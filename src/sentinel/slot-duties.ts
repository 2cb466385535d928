import type { Address } from 'viem';

import type { DutyRecord, SlotDuties, ValidatorStatusInSlot } from './types.js';

/** What the sentinel knows of one slot when it settles it. */
export interface SlotObservation {
  /** The slot's epoch committee, in committee order (empty: nobody had a duty). */
  committee: readonly Address[];
  /** The slot's proposer (a committee member). */
  proposer: Address | undefined;
  /** The block L1 holds for the slot, with the signers of the attestations it carried. */
  l1Block?: { attesters: readonly Address[] } | undefined;
  /** What gossip showed for the slot; undefined when the node did not watch it (not running, or without P2P). */
  gossip?: { proposers: readonly Address[]; attesters: readonly Address[] } | undefined;
}

const lower = (a: Address) => a.toLowerCase() as Address;

/**
 * Each committee member's duty in a slot. The proposer: mined if L1 has the slot's block; proposed if gossip showed
 * its proposal or any attestation for the slot (attesters only attest a proposal); else missed. The others: sent if
 * gossip showed their attestation or L1 included it; missed if a block was proposed or mined and they did not
 * attest, but only in a watched slot: a proposer publishes once it has a quorum, so L1 alone does not show who else
 * attested. Members of a slot without a proposal have no duty recorded.
 */
export function slotDuties(o: SlotObservation): SlotDuties {
  const duties: SlotDuties = new Map();
  if (o.committee.length === 0) return duties;
  const onL1 = new Set((o.l1Block?.attesters ?? []).map(lower));
  const onGossip = new Set((o.gossip?.attesters ?? []).map(lower));
  const proposer = o.proposer && lower(o.proposer);
  const committee = o.committee.map(lower);
  const gossipProposed =
    o.gossip !== undefined &&
    ((proposer !== undefined && o.gossip.proposers.map(lower).includes(proposer)) ||
      committee.some(m => onGossip.has(m)));
  const block: ValidatorStatusInSlot = o.l1Block ? 'block-mined' : gossipProposed ? 'block-proposed' : 'block-missed';
  if (proposer !== undefined) duties.set(proposer, { status: block });
  for (const member of committee) {
    if (member === proposer || duties.has(member)) continue;
    const gossip = onGossip.has(member);
    const l1 = onL1.has(member);
    if (gossip || l1) {
      const sent: DutyRecord = { status: 'attestation-sent' };
      if (gossip) sent.gossip = true;
      if (l1) sent.l1 = true;
      duties.set(member, sent);
    } else if (block !== 'block-missed' && o.gossip !== undefined) {
      duties.set(member, { status: 'attestation-missed' });
    }
  }
  return duties;
}

/** Whether a status is a missed duty, and of which kind. */
export function missedDuty(status: ValidatorStatusInSlot): 'proposal' | 'attestation' | undefined {
  if (status === 'block-missed') return 'proposal';
  if (status === 'attestation-missed') return 'attestation';
  return undefined;
}
