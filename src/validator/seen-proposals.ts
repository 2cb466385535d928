import type { Address, Hex } from 'viem';

/** How many slots of proposals are kept by default (as many as the attestation pool keeps). */
const DEFAULT_MAX_SLOTS = 32;

/**
 * The block proposals seen on gossip (or gossiped by this node) that were signed by their slot's proposer: per slot,
 * the signer and the digests it proposed. What the sentinel reads to tell a proposal that did not reach L1 from no
 * proposal at all. Old slots are dropped as new ones arrive.
 */
export class SeenProposals {
  private readonly slots = new Map<bigint, Map<Address, Set<Hex>>>();

  constructor(private readonly maxSlots = DEFAULT_MAX_SLOTS) {}

  /** Records `proposer`'s proposal over `digest` at `slot`. */
  add(slot: bigint, proposer: Address, digest: Hex): void {
    let bySlot = this.slots.get(slot);
    if (!bySlot) {
      bySlot = new Map();
      this.slots.set(slot, bySlot);
      this.prune();
    }
    const who = proposer.toLowerCase() as Address;
    const digests = bySlot.get(who) ?? new Set<Hex>();
    digests.add(digest.toLowerCase() as Hex);
    bySlot.set(who, digests);
  }

  /** The signers (lowercase) of the proposals seen at `slot`. */
  proposersAt(slot: bigint): Address[] {
    return [...(this.slots.get(slot)?.keys() ?? [])];
  }

  private prune(): void {
    if (this.slots.size <= this.maxSlots) return;
    const sorted = [...this.slots.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const slot of sorted.slice(0, sorted.length - this.maxSlots)) this.slots.delete(slot);
  }
}
