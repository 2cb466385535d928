import type { Address, Hex } from 'viem';

import type { Fr } from '../../types/index.js';
import type { SigningKind } from '../../validator/slashing-protection.js';
import type { DutyOutcome, DutyRow, ValidatorRow, ValidatorsSection } from './view.js';

/** Slots of duties the status page shows per validator (two epochs of the local network). */
export const DUTY_SLOTS = 16n;

/** What the local duties are read from (the node's slashing protection history, chain and epoch cache fit). */
export interface LocalDutySources {
  /** This node's attester addresses. */
  attesters: readonly Address[];
  /** The signatures made, as `SlashingProtection.signedBetween` returns them. */
  signed(signer: Address, fromSlot: bigint, toSlot: bigint): { kind: SigningKind; slot: bigint; digest: Hex }[];
  /** The proposal digest of each block on L1 in the slots given, by slot (newest blocks are read first). */
  blockDigests(fromSlot: bigint, toSlot: bigint): Map<bigint, Hex>;
  /** The proposer and committee of a slot; throws or is absent when L1 cannot tell now. */
  roles(slot: bigint): Promise<{ proposer: Address | undefined; committee: readonly Address[] }>;
  currentSlot(): bigint;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Each validator's duties over the last `DUTY_SLOTS` slots as this node knows them alone: the slot's proposer and
 * committee (the epoch cache), what it signed (the slashing protection history) and the slot's block on L1 (the
 * archiver's chain, compared by proposal digest). It cannot see what others saw of its attestations on gossip, nor
 * whether an attestation was among those a proposer put on L1: that is the sentinel's work.
 */
export async function localValidators(src: LocalDutySources, window = DUTY_SLOTS): Promise<ValidatorsSection> {
  if (src.attesters.length === 0) return { source: 'local', fromSlot: null, toSlot: null, list: [] };
  const toSlot = src.currentSlot();
  const fromSlot = toSlot >= window - 1n ? toSlot - window + 1n : 0n;
  const onL1 = src.blockDigests(fromSlot, toSlot);
  const roles = new Map<bigint, { proposer: Address | undefined; committee: readonly Address[] } | undefined>();
  // Committees are cached once fixed, so this reads L1 only for a new epoch; after one failure (L1 down) the older
  // slots are not asked either, so the page answers after one failed read rather than sixteen.
  for (let s = toSlot; s >= fromSlot; s--) {
    const role = await src.roles(s).catch(() => undefined);
    if (!role) break;
    roles.set(s, role);
  }
  const list = src.attesters.map(address => {
    const signed = new Map<string, Hex>();
    for (const r of src.signed(address, fromSlot, toSlot)) signed.set(`${r.kind}:${r.slot}`, r.digest);
    const duties: DutyRow[] = [];
    for (let s = toSlot; s >= fromSlot; s--) {
      const role = roles.get(s);
      const block = signed.get(`block:${s}`);
      const attestation = signed.get(`attestation:${s}`);
      const proposer = role?.proposer !== undefined && same(role.proposer, address);
      const member = role?.committee.some(a => same(a, address)) ?? false;
      const recent = s + 1n >= toSlot;
      if (proposer || block !== undefined) {
        duties.push({ slot: Number(s), duty: 'propose', signed: block !== undefined, outcome: outcome(block) });
      }
      if ((member && !proposer) || attestation !== undefined) {
        duties.push({
          slot: Number(s),
          duty: 'attest',
          signed: attestation !== undefined,
          outcome: outcome(attestation, true),
        });
      }

      function outcome(digest: Hex | undefined, attesting = false): DutyOutcome {
        const landed = onL1.get(s);
        if (digest !== undefined) {
          if (landed === undefined) return recent ? 'pending' : 'not-on-l1';
          return same(landed, digest) ? 'landed' : 'other-block';
        }
        if (attesting) return landed !== undefined ? 'missed' : recent ? 'pending' : 'no-block';
        return recent && landed === undefined ? 'pending' : 'missed';
      }
    }
    return { address, totals: totalsOf(duties), duties, stats: null } satisfies ValidatorRow;
  });
  return { source: 'local', fromSlot: Number(fromSlot), toSlot: Number(toSlot), list };
}

function totalsOf(duties: readonly DutyRow[]): ValidatorRow['totals'] {
  return {
    proposed: duties.filter(d => d.duty === 'propose' && d.signed).length,
    attested: duties.filter(d => d.duty === 'attest' && d.signed).length,
    landed: duties.filter(d => d.outcome === 'landed').length,
    missed: duties.filter(d => d.outcome === 'missed').length,
  };
}

/** The chain's cheap per-block readers (the archiver's store fits): header, header hash and archive root. */
export interface ChainHeaders {
  getLatestBlockNumber(): bigint;
  getBlockHeader(n: bigint): { globalVariables: { slotNumber: bigint } } | undefined;
  getBlockHash(n: bigint): Fr | undefined;
  getArchiveRoot(n: bigint): Fr | undefined;
}

/**
 * The proposal digests of the chain's blocks in `[fromSlot, toSlot]`, walking down from the latest block (a header
 * read per block of the window, no body decoded). `digestOf` is the Rollup's `getProposalDigest`.
 */
export function chainDigestsBySlot(
  chain: ChainHeaders,
  digestOf: (headerHash: Fr, archive: Fr) => Hex,
  fromSlot: bigint,
  toSlot: bigint,
): Map<bigint, Hex> {
  const out = new Map<bigint, Hex>();
  for (let n = chain.getLatestBlockNumber(); n > 0n; n--) {
    const header = chain.getBlockHeader(n);
    const hash = chain.getBlockHash(n);
    const archive = chain.getArchiveRoot(n);
    if (!header || !hash || !archive) break;
    const slot = header.globalVariables.slotNumber;
    if (slot < fromSlot) break;
    if (slot <= toSlot) out.set(slot, digestOf(hash, archive));
  }
  return out;
}
