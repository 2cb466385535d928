import type { Address, Hex } from 'viem';

import type { Attestation } from '../protocol/proposal-digest.js';

/** How many slots of attestations the pool keeps by default. */
const DEFAULT_MAX_SLOTS = 32;

/**
 * Valid attestations seen on gossip (or made locally), per slot and proposal digest, one per attester. Checking
 * (signer in the committee, digest recovered) is the caller's job; old slots are dropped as new ones arrive.
 */
export class AttestationPool {
  private readonly slots = new Map<bigint, Map<Hex, Map<Address, Attestation>>>();

  constructor(private readonly maxSlots = DEFAULT_MAX_SLOTS) {}

  /** Adds `attester`'s attestation over `digest` at `slot`; false when it already had one. */
  add(slot: bigint, digest: Hex, attester: Address, attestation: Attestation): boolean {
    let bySlot = this.slots.get(slot);
    if (!bySlot) {
      bySlot = new Map();
      this.slots.set(slot, bySlot);
      this.prune();
    }
    const key = digest.toLowerCase() as Hex;
    let byDigest = bySlot.get(key);
    if (!byDigest) {
      byDigest = new Map();
      bySlot.set(key, byDigest);
    }
    const who = attester.toLowerCase() as Address;
    if (byDigest.has(who)) return false;
    byDigest.set(who, attestation);
    return true;
  }

  /** The attestations over `digest` at `slot`, by lowercase attester address. */
  get(slot: bigint, digest: Hex): ReadonlyMap<Address, Attestation> {
    return this.slots.get(slot)?.get(digest.toLowerCase() as Hex) ?? new Map<Address, Attestation>();
  }

  /** Every attester with an attestation at `slot`, over any digest (lowercase): who did their duty on gossip. */
  attestersAt(slot: bigint): Address[] {
    const who = new Set<Address>();
    for (const byDigest of this.slots.get(slot)?.values() ?? []) for (const a of byDigest.keys()) who.add(a);
    return [...who];
  }

  /** Number of attestations held (all slots). */
  size(): number {
    let n = 0;
    for (const bySlot of this.slots.values()) for (const byDigest of bySlot.values()) n += byDigest.size;
    return n;
  }

  private prune(): void {
    if (this.slots.size <= this.maxSlots) return;
    const sorted = [...this.slots.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const slot of sorted.slice(0, sorted.length - this.maxSlots)) this.slots.delete(slot);
  }
}
