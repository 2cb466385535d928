import { encodeAbiParameters, getAddress, isAddress, isHex, keccak256, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { KvMap, KvStore } from '../kv/index.js';
import { signProposalDigest, type Attestation } from '../protocol/proposal-digest.js';
import { ValidatorError } from './errors.js';

/** What was signed: a block proposal (as proposer) or an attestation (as committee member). */
export type SigningKind = 'block' | 'attestation';

/** One signed record of the EIP-3076-style interchange. */
export interface InterchangeRecord {
  /** Decimal slot. */
  slot: string;
  /** The signed proposal digest. */
  signing_root: Hex;
}

/**
 * Slashing protection history modelled on EIP-3076 (format version 5): `pubkey` is the attester address;
 * attestations are keyed by slot like blocks (there are no source/target epochs in this protocol).
 */
export interface SlashingProtectionInterchange {
  metadata: { interchange_format_version: '5'; genesis_validators_root: Hex };
  data: { pubkey: Address; signed_blocks: InterchangeRecord[]; signed_attestations: InterchangeRecord[] }[];
}

/** The chain identity used as `genesis_validators_root`: `keccak256(abi.encode(l1ChainId, rollup))`. */
export function chainIdentityRoot(l1ChainId: number | bigint, rollup: Address): Hex {
  return keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'address' }], [BigInt(l1ChainId), rollup]));
}

const MAP_NAME = 'validator_slashing_protection';
const SLOT_WIDTH = 20; // u64 in decimal, zero-padded so string keys sort by slot
type Key = readonly [SigningKind, string, string];

const slotKey = (slot: bigint) => slot.toString().padStart(SLOT_WIDTH, '0');

/**
 * Refuses to sign two different digests of one kind for one slot, across restarts. A signing request is recorded
 * in a committed KV transaction BEFORE the signature is made, so a crash between signing and sending cannot lead
 * to a second, different signature after a restart. Re-signing the same digest for the same slot is allowed.
 */
export class SlashingProtection {
  private readonly map: KvMap<Key, Hex>;

  constructor(
    private readonly store: KvStore,
    /** `genesis_validators_root` of this chain (see `chainIdentityRoot`). */
    readonly chainRoot: Hex,
  ) {
    this.map = store.openMap<Hex, Key>(MAP_NAME);
  }

  /** The digest recorded for `kind` at `slot` by `signer`, if any. */
  get(kind: SigningKind, signer: Address, slot: bigint): Hex | undefined {
    return this.map.get([kind, signer.toLowerCase(), slotKey(slot)]);
  }

  /** Records `digest` for `kind` at `slot` (committed on return); throws `SLASHABLE_SIGNATURE` on a different one. */
  checkAndRecord(kind: SigningKind, signer: Address, slot: bigint, digest: Hex): void {
    this.store.transactionSync(() => {
      const key: Key = [kind, signer.toLowerCase(), slotKey(slot)];
      const existing = this.map.get(key);
      if (existing !== undefined && existing.toLowerCase() !== digest.toLowerCase()) {
        throw new ValidatorError(
          'SLASHABLE_SIGNATURE',
          `refusing to sign a second ${kind} for slot ${slot}: ${existing} was already signed`,
          { kind, signer, slot, existing, digest },
        );
      }
      if (existing === undefined) this.map.set(key, digest.toLowerCase() as Hex);
    });
  }

  /** What `signer` signed from `fromSlot` to `toSlot` (both included), by kind, in slot order (the status page). */
  signedBetween(signer: Address, fromSlot: bigint, toSlot: bigint): { kind: SigningKind; slot: bigint; digest: Hex }[] {
    const who = signer.toLowerCase();
    return (['block', 'attestation'] as const).flatMap(kind =>
      [...this.map.entries({ start: [kind, who, slotKey(fromSlot)], end: [kind, who, slotKey(toSlot + 1n)] })].map(
        ({ key, value }) => ({ kind, slot: BigInt(key[2]), digest: value }),
      ),
    );
  }

  /** The whole history as an interchange document. */
  exportInterchange(): SlashingProtectionInterchange {
    return buildInterchange(this.chainRoot, this.records());
  }

  /** Every record of the history, by kind, signer and slot. */
  records(): InterchangeEntry[] {
    return [...this.map.entries()].map(({ key: [kind, signer, slot], value }) => ({
      kind,
      signer: getAddress(signer),
      slot: BigInt(slot),
      digest: value,
    }));
  }

  /**
   * Merges an interchange document into the history, atomically: refused (`BAD_INTERCHANGE`) when malformed or
   * for another chain, and (`INTERCHANGE_CONFLICT`) when a record names a different digest for a slot already
   * signed. Returns how many records were new.
   */
  importInterchange(doc: unknown): number {
    const records = parseInterchange(doc, this.chainRoot);
    return this.store.transactionSync(() => {
      const fromFile = new Set<string>();
      for (const { kind, signer, slot, digest } of records) {
        const key: Key = [kind, signer.toLowerCase(), slotKey(slot)];
        const existing = this.map.get(key);
        if (existing !== undefined && existing !== digest) {
          const where = fromFile.has(key.join()) ? 'earlier in the document' : 'in the stored history';
          throw new ValidatorError(
            'INTERCHANGE_CONFLICT',
            `the ${kind} of ${signer} at slot ${slot} is ${digest} in the document but ${existing} ${where}`,
            { kind, signer, slot, existing, imported: digest },
          );
        }
        if (existing === undefined) {
          this.map.set(key, digest);
          fromFile.add(key.join());
        }
      }
      return fromFile.size;
    });
  }
}

/**
 * An interchange document of `records` (deduplicated; two digests for one kind, signer and slot are refused with
 * `INTERCHANGE_CONFLICT`), with an entry for each of `attesters` too, signed or not.
 */
export function buildInterchange(
  chainRoot: Hex,
  records: readonly InterchangeEntry[],
  attesters: readonly Address[] = [],
): SlashingProtectionInterchange {
  const byKey = new Map<string, SlashingProtectionInterchange['data'][number]>();
  const entryOf = (signer: Address) => {
    const key = signer.toLowerCase();
    let entry = byKey.get(key);
    if (!entry) {
      entry = { pubkey: getAddress(signer), signed_blocks: [], signed_attestations: [] };
      byKey.set(key, entry);
    }
    return entry;
  };
  for (const a of attesters) entryOf(a);
  const seen = new Map<string, Hex>();
  for (const { kind, signer, slot, digest } of records) {
    const key = `${kind}:${signer.toLowerCase()}:${slot}`;
    const d = digest.toLowerCase() as Hex;
    const known = seen.get(key);
    if (known !== undefined) {
      if (known !== d) {
        throw new ValidatorError(
          'INTERCHANGE_CONFLICT',
          `the ${kind} of ${signer} at slot ${slot} is recorded with two digests, ${known} and ${d}`,
          { kind, signer, slot, existing: known, imported: d },
        );
      }
      continue;
    }
    seen.set(key, d);
    const entry = entryOf(signer);
    (kind === 'block' ? entry.signed_blocks : entry.signed_attestations).push({
      slot: slot.toString(),
      signing_root: d,
    });
  }
  for (const entry of byKey.values()) {
    const bySlot = (a: InterchangeRecord, b: InterchangeRecord) => (BigInt(a.slot) < BigInt(b.slot) ? -1 : 1);
    entry.signed_blocks.sort(bySlot);
    entry.signed_attestations.sort(bySlot);
  }
  return {
    metadata: { interchange_format_version: '5', genesis_validators_root: chainRoot },
    data: [...byKey.values()],
  };
}

function bad(message: string, context: Record<string, unknown> = {}): never {
  throw new ValidatorError('BAD_INTERCHANGE', message, context);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** One record of an interchange document, checked and normalised (lower-case digest). */
export interface InterchangeEntry {
  kind: SigningKind;
  signer: Address;
  slot: bigint;
  digest: Hex;
}

/**
 * Checks an interchange document without touching any store: throws `BAD_INTERCHANGE` naming the first problem
 * (not a document, unsupported version, another chain's `genesis_validators_root` (its context then has
 * `expected`), a bad pubkey, slot or signing_root). Returns its records.
 */
export function parseInterchange(doc: unknown, chainRoot: Hex): InterchangeEntry[] {
  if (!isObject(doc) || !isObject(doc['metadata']) || !Array.isArray(doc['data'])) {
    bad('not an interchange document (metadata and data expected)');
  }
  const metadata = doc['metadata'];
  if (metadata['interchange_format_version'] !== '5') bad('unsupported interchange_format_version ("5" expected)');
  const root = metadata['genesis_validators_root'];
  if (typeof root !== 'string' || root.toLowerCase() !== chainRoot.toLowerCase()) {
    bad(`genesis_validators_root ${String(root)} is not this chain's (${chainRoot})`, {
      genesisValidatorsRoot: root,
      expected: chainRoot,
    });
  }
  const out: InterchangeEntry[] = [];
  for (const entry of doc['data'] as unknown[]) {
    if (!isObject(entry) || typeof entry['pubkey'] !== 'string' || !isAddress(entry['pubkey'], { strict: false })) {
      bad(`bad pubkey ${isObject(entry) ? String(entry['pubkey']) : String(entry)}`);
    }
    const signer = getAddress(entry['pubkey']);
    const lists: [SigningKind, unknown][] = [
      ['block', entry['signed_blocks'] ?? []],
      ['attestation', entry['signed_attestations'] ?? []],
    ];
    for (const [kind, list] of lists) {
      if (!Array.isArray(list)) bad(`signed_${kind}s of ${signer} must be an array`);
      for (const rec of list as unknown[]) {
        if (!isObject(rec)) bad(`bad signed_${kind}s record of ${signer}`);
        const { slot, signing_root: root } = rec;
        if (typeof slot !== 'string' || !/^[0-9]{1,20}$/.test(slot)) bad(`bad slot ${String(slot)} of ${signer}`);
        if (!isHex(root) || root.length !== 66) bad(`bad signing_root at slot ${slot} of ${signer}`);
        out.push({ kind, signer, slot: BigInt(slot), digest: root.toLowerCase() as Hex });
      }
    }
  }
  return out;
}

/**
 * What may hold a key back before slashing protection is even asked: doppelganger protection (`DoppelgangerProtection`
 * fits). `refusal` says why `attester` may not sign now, undefined when it may.
 */
export interface SigningGate {
  refusal(attester: Address): string | undefined;
}

/**
 * "Was this signed by us": the digest signed for `kind` at `slot` by `signer`, if any. The node's LMDB history
 * (`SlashingProtection`) answers synchronously, the HA signing database (`HaSigningDatabase`, every node of the set)
 * asynchronously: `await` the answer either way.
 */
export interface SignedDutyLookup {
  get(kind: SigningKind, signer: Address, slot: bigint): Hex | undefined | Promise<Hex | undefined>;
}

/** The HA signing database as the signer uses it (`HaSigningDatabase`): claim a duty, then record its signature. */
export interface DutyClaims {
  readonly nodeId: string;
  claim(
    kind: SigningKind,
    attester: Address,
    slot: bigint,
    digest: Hex,
  ): Promise<{ won: true; again: boolean } | { won: false; holder: string; digest: Hex }>;
  recordSignature(kind: SigningKind, attester: Address, slot: bigint, signature: Hex): Promise<void>;
}

/**
 * The validator key behind slashing protection: with a `gate` (doppelganger protection), nothing is claimed, signed
 * or recorded while it refuses; with HA signing, the duty is then claimed in the shared database (`DutyClaims`;
 * lost → not signed), then every signature is recorded in the node's own history (`SlashingProtection`), then made.
 * Proposals and attestations are signed over the proposal digest (`signProposalDigest`).
 */
export class ProtectedSigner {
  /** The attester address of the key. */
  readonly address: Address;
  private readonly log: Logger;
  private readonly ha: DutyClaims | undefined;
  private readonly gate: SigningGate | undefined;

  constructor(
    private readonly privateKey: Hex,
    private readonly protection: SlashingProtection,
    opts: { logger?: Logger; ha?: DutyClaims | undefined; gate?: SigningGate | undefined } = {},
  ) {
    this.address = privateKeyToAddress(privateKey);
    this.log = opts.logger ?? createLogger('validator');
    this.ha = opts.ha;
    this.gate = opts.gate;
  }

  /** Why this key may not sign now (the gate's reason), undefined when it may. */
  refusal(): string | undefined {
    return this.gate?.refusal(this.address);
  }

  /**
   * Signs `digest` as `kind` for `slot`; throws `DOPPELGANGER` while the gate refuses, `SLASHABLE_SIGNATURE` if a
   * different one was signed, and with HA `HA_DUTY_TAKEN` when another node claimed the duty (or this one claimed it
   * with another digest) and `HA_CLAIM_FAILED` when the database cannot answer.
   */
  async sign(kind: SigningKind, slot: bigint, digest: Hex): Promise<Attestation> {
    const refused = this.refusal();
    if (refused !== undefined)
      throw new ValidatorError('DOPPELGANGER', refused, { kind, slot, attester: this.address });
    if (this.ha) await this.claim(this.ha, kind, slot, digest);
    try {
      this.protection.checkAndRecord(kind, this.address, slot, digest);
    } catch (err) {
      this.log.warn('Slashing protection refused to sign', { kind, slot, digest });
      throw err;
    }
    const signature = await signProposalDigest(digest, this.privateKey);
    if (this.ha) {
      const packed = `${signature.r}${signature.s.slice(2)}${signature.v.toString(16).padStart(2, '0')}` as Hex;
      await this.ha.recordSignature(kind, this.address, slot, packed).catch((err: unknown) => {
        this.log.warn('Could not record the signature in the HA signing database', { kind, slot, err });
      });
    }
    return signature;
  }

  private async claim(ha: DutyClaims, kind: SigningKind, slot: bigint, digest: Hex): Promise<void> {
    let result;
    try {
      result = await ha.claim(kind, this.address, slot, digest);
    } catch (err) {
      this.log.warn('HA signing database did not answer: not signing', { kind, slot, err });
      throw new ValidatorError(
        'HA_CLAIM_FAILED',
        `not signing the ${kind} of slot ${slot}: the HA signing database (VALIDATOR_HA_DATABASE_URL) did not ` +
          `answer: ${err instanceof Error ? err.message : String(err)}`,
        { kind, slot, signer: this.address },
      );
    }
    if (result.won) return;
    const why =
      result.holder === ha.nodeId
        ? `this node already claimed it with digest ${result.digest}`
        : `node ${result.holder} claimed it${result.digest === digest.toLowerCase() ? '' : ` with digest ${result.digest}`}`;
    // The normal outcome for every node of an HA set but one.
    this.log.debug('HA duty claimed elsewhere: not signing', { kind, slot, holder: result.holder });
    throw new ValidatorError('HA_DUTY_TAKEN', `not signing the ${kind} of ${this.address} at slot ${slot}: ${why}`, {
      kind,
      slot,
      signer: this.address,
      holder: result.holder,
    });
  }
}
