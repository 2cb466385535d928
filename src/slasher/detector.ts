import { bytesToHex, getAddress, type Address, type Hex } from 'viem';

import type { SignedBlockEvidence } from '../l1/contracts/slasher.js';
import type { Attestation } from '../protocol/proposal-digest.js';

/**
 * A signature over a proposal digest seen on gossip, already checked by the validator client (signer recovered from
 * the digest it computed). Proposals and attestations sign the same digest; a proposal brings its header, an
 * attestation only the header's hash.
 */
export interface SignedDigest {
  kind: 'proposal' | 'attestation';
  slot: bigint;
  signer: Address;
  digest: Hex;
  headerHash: Hex;
  /** The encoded header (800 bytes): proposals only. */
  header?: Uint8Array | undefined;
  archive: Hex;
  signature: Attestation;
}

/** Two different digests signed by one attester for one slot, as the Slasher takes them. */
export interface Equivocation {
  attester: Address;
  slot: bigint;
  /** The kinds of message the two signatures came in (`proposal`, `attestation`). */
  kinds: [SignedDigest['kind'], SignedDigest['kind']];
  a: SignedBlockEvidence;
  b: SignedBlockEvidence;
}

/** Slots of signatures kept by default (older ones are forgotten). */
const DEFAULT_KEEP_SLOTS = 64n;

/**
 * Finds equivocation in what gossip brings: per (signer, slot), the digests signed. When a signer has two different
 * digests for one slot and the headers behind both are known (a proposal carries its header; an attestation is
 * matched to the proposal it attests by header hash, whichever arrives first), `onEquivocation` is called, once per
 * (signer, slot). The L1 Slasher recomputes the digests and the slot from these headers, so nothing here is trusted.
 */
export class EquivocationDetector {
  private readonly seen = new Map<string, Map<Hex, SignedDigest>>();
  private readonly headers = new Map<Hex, { slot: bigint; header: Hex }>();
  private readonly found = new Set<string>();
  private latestSlot = 0n;

  constructor(
    private readonly onEquivocation: (e: Equivocation) => void,
    private readonly keepSlots = DEFAULT_KEEP_SLOTS,
  ) {}

  /** Records a checked signature; calls `onEquivocation` when it completes a provable pair. */
  observe(s: SignedDigest): void {
    if (s.slot + this.keepSlots < this.latestSlot) return;
    if (s.slot > this.latestSlot) {
      this.latestSlot = s.slot;
      this.prune();
    }
    const digest = s.digest.toLowerCase() as Hex;
    const key = keyOf(s.signer, s.slot);
    let digests = this.seen.get(key);
    if (!digests) {
      digests = new Map();
      this.seen.set(key, digests);
    }
    if (!digests.has(digest)) digests.set(digest, s);
    if (s.header) {
      const hash = s.headerHash.toLowerCase() as Hex;
      if (!this.headers.has(hash)) {
        this.headers.set(hash, { slot: s.slot, header: bytesToHex(s.header) });
        // An attestation seen before the proposal it attests can now be completed.
        for (const [k, d] of this.seen) if (k.endsWith(`:${s.slot}`)) this.check(k, d);
        return;
      }
    }
    this.check(key, digests);
  }

  /** Pairs found so far (for diagnostics). */
  get equivocations(): number {
    return this.found.size;
  }

  private check(key: string, digests: Map<Hex, SignedDigest>): void {
    if (digests.size < 2 || this.found.has(key)) return;
    const provable = [...digests.values()].flatMap(s => {
      const known = this.headers.get(s.headerHash.toLowerCase() as Hex);
      return known ? [{ s, header: known.header }] : [];
    });
    const [first, second] = provable;
    if (!first || !second) return;
    this.found.add(key);
    const evidence = (x: { s: SignedDigest; header: Hex }): SignedBlockEvidence => ({
      header: x.header,
      archive: x.s.archive,
      signature: x.s.signature,
    });
    this.onEquivocation({
      attester: getAddress(first.s.signer),
      slot: first.s.slot,
      kinds: [first.s.kind, second.s.kind],
      a: evidence(first),
      b: evidence(second),
    });
  }

  private prune(): void {
    const oldest = this.latestSlot - this.keepSlots;
    for (const [key, digests] of this.seen) {
      const any = digests.values().next().value;
      if (any && any.slot < oldest) {
        this.seen.delete(key);
        this.found.delete(key);
      }
    }
    for (const [hash, h] of this.headers) if (h.slot < oldest) this.headers.delete(hash);
  }
}

const keyOf = (signer: Address, slot: bigint) => `${signer.toLowerCase()}:${slot}`;
