import type { Address } from 'viem';

/**
 * What a validator did with its duty in one slot (Aztec's statuses). As the slot's proposer: `block-mined` (its block
 * is on L1), `block-proposed` (its proposal, or attestations to one, were seen on gossip, but no block reached L1),
 * `block-missed` (nothing). As a committee member: `attestation-sent` (seen on gossip or included on L1) or
 * `attestation-missed` (a proposal was made or mined and it did not attest). A member has no status in a slot
 * without a proposal, nor in a slot the node did not watch on gossip unless L1 holds its attestation.
 */
export type ValidatorStatusInSlot =
  'block-mined' | 'block-proposed' | 'block-missed' | 'attestation-sent' | 'attestation-missed';

export const VALIDATOR_STATUSES: readonly ValidatorStatusInSlot[] = [
  'block-mined',
  'block-proposed',
  'block-missed',
  'attestation-sent',
  'attestation-missed',
];

/** One validator's duty in one slot, as the sentinel stores it. */
export interface DutyRecord {
  status: ValidatorStatusInSlot;
  /** For `attestation-sent`: seen on gossip. */
  gossip?: boolean;
  /** For `attestation-sent`: included in the block's signatures on L1. */
  l1?: boolean;
}

/** The duties of one slot, by validator (lowercase address). */
export type SlotDuties = Map<Address, DutyRecord>;

/** A stored duty with its slot and validator. */
export interface StoredDuty extends DutyRecord {
  slot: bigint;
  validator: Address;
}
