import { encodeAbiParameters, getAddress, isAddress, isHex, keccak256, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { KvMap, KvStore } from '../kv/index.js';
import { signProposalDigest, type Attestation } from '../l1/proposal-digest.js';
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

  /** The whole history as an interchange document. */
  exportInterchange(): SlashingProtectionInterchange {
    const byKey = new Map<string, SlashingProtectionInterchange['data'][number]>();
    for (const { key, value } of this.map.entries()) {
      const [kind, signer, slot] = key;
      let entry = byKey.get(signer);
      if (!entry) {
        entry = { pubkey: getAddress(signer), signed_blocks: [], signed_attestations: [] };
        byKey.set(signer, entry);
      }
      const record = { slot: BigInt(slot).toString(), signing_root: value };
      (kind === 'block' ? entry.signed_blocks : entry.signed_attestations).push(record);
    }
    return {
      metadata: { interchange_format_version: '5', genesis_validators_root: this.chainRoot },
      data: [...byKey.values()],
    };
  }

  /**
   * Merges an interchange document into the history, atomically: refused (`BAD_INTERCHANGE`) when malformed or
   * for another chain, and (`INTERCHANGE_CONFLICT`) when a record names a different digest for a slot already
   * signed. Returns how many records were new.
   */
  importInterchange(doc: unknown): number {
    const records = parseInterchange(doc, this.chainRoot);
    return this.store.transactionSync(() => {
      let added = 0;
      for (const { kind, signer, slot, digest } of records) {
        const key: Key = [kind, signer.toLowerCase(), slotKey(slot)];
        const existing = this.map.get(key);
        if (existing !== undefined && existing !== digest) {
          throw new ValidatorError('INTERCHANGE_CONFLICT', `${kind} of ${signer} at slot ${slot} conflicts`, {
            existing,
            imported: digest,
          });
        }
        if (existing === undefined) {
          this.map.set(key, digest);
          added++;
        }
      }
      return added;
    });
  }
}

function bad(message: string): never {
  throw new ValidatorError('BAD_INTERCHANGE', message);
}

function parseInterchange(doc: unknown, chainRoot: Hex) {
  const d = doc as Partial<SlashingProtectionInterchange> | null;
  if (typeof d !== 'object' || d === null || typeof d.metadata !== 'object' || !Array.isArray(d.data)) {
    bad('not an interchange document (metadata and data expected)');
  }
  if (d.metadata.interchange_format_version !== '5') bad('unsupported interchange_format_version (5 expected)');
  if (String(d.metadata.genesis_validators_root).toLowerCase() !== chainRoot.toLowerCase()) {
    bad(`genesis_validators_root ${String(d.metadata.genesis_validators_root)} is not this chain's (${chainRoot})`);
  }
  const out: { kind: SigningKind; signer: Address; slot: bigint; digest: Hex }[] = [];
  for (const entry of d.data) {
    if (typeof entry !== 'object' || !isAddress(entry.pubkey, { strict: false })) bad('bad pubkey');
    const lists: [SigningKind, unknown][] = [
      ['block', entry.signed_blocks ?? []],
      ['attestation', entry.signed_attestations ?? []],
    ];
    for (const [kind, list] of lists) {
      if (!Array.isArray(list)) bad(`signed_${kind}s must be an array`);
      for (const rec of list as Partial<InterchangeRecord>[]) {
        if (typeof rec.slot !== 'string' || !/^[0-9]{1,20}$/.test(rec.slot)) bad(`bad slot ${String(rec.slot)}`);
        if (!isHex(rec.signing_root) || rec.signing_root.length !== 66) bad(`bad signing_root at slot ${rec.slot}`);
        out.push({ kind, signer: entry.pubkey, slot: BigInt(rec.slot), digest: rec.signing_root.toLowerCase() as Hex });
      }
    }
  }
  return out;
}

/**
 * The validator key behind slashing protection: every signature is recorded first (`SlashingProtection`), then
 * made. Proposals and attestations are signed over the proposal digest (`signProposalDigest`).
 */
export class ProtectedSigner {
  /** The attester address of the key. */
  readonly address: Address;
  private readonly log: Logger;

  constructor(
    private readonly privateKey: Hex,
    private readonly protection: SlashingProtection,
    logger?: Logger,
  ) {
    this.address = privateKeyToAddress(privateKey);
    this.log = logger ?? createLogger('validator');
  }

  /** Signs `digest` as `kind` for `slot`; throws `SLASHABLE_SIGNATURE` if a different one was signed. */
  async sign(kind: SigningKind, slot: bigint, digest: Hex): Promise<Attestation> {
    try {
      this.protection.checkAndRecord(kind, this.address, slot, digest);
    } catch (err) {
      this.log.warn('Slashing protection refused to sign', { kind, slot, digest });
      throw err;
    }
    return signProposalDigest(digest, this.privateKey);
  }
}
