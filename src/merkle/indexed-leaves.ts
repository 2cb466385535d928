import { sha256ToField } from '../foundation/crypto/index.js';
import { bufferToField, fieldsToBuffer } from './codec.js';
import { MerkleError } from './errors.js';

/**
 * How an indexed tree's leaves look: their ordering key, next pointers, hash and encoding, and what happens when
 * a key is inserted again. Leaves are value-ordered in a linked list; `nextIndex = 0, nextKey = 0` ends it.
 */
export interface IndexedLeafType<L> {
  readonly name: string;
  /** The ordering key (nullifier value, public data slot). */
  key(leaf: L): bigint;
  nextIndex(leaf: L): bigint;
  nextKey(leaf: L): bigint;
  /** A copy of `leaf` with new next pointers. */
  withNext(leaf: L, nextIndex: bigint, nextKey: bigint): L;
  /** The leaf at index 0 of a new tree (key 0). */
  prefill(): L;
  /** The leaf that replaces `existing` when `incoming` has the same key; throws when that is not allowed. */
  merge(existing: L, incoming: L): L;
  /** The leaf's hash (the tree's level-0 node). */
  hash(leaf: L): Buffer;
  encode(leaf: L): Buffer;
  decode(bytes: Uint8Array): L;
}

/** A nullifier tree leaf. */
export interface NullifierLeaf {
  value: bigint;
  nextIndex: bigint;
  nextValue: bigint;
}

/** A public data tree leaf: `value` stored at `slot`. */
export interface PublicDataLeaf {
  slot: bigint;
  value: bigint;
  nextIndex: bigint;
  nextSlot: bigint;
}

/** A nullifier leaf to insert (next pointers are filled in by the tree). */
export function nullifierLeaf(value: bigint): NullifierLeaf {
  return { value, nextIndex: 0n, nextValue: 0n };
}

/** A public data write to apply (next pointers are filled in by the tree). */
export function publicDataLeaf(slot: bigint, value: bigint): PublicDataLeaf {
  return { slot, value, nextIndex: 0n, nextSlot: 0n };
}

function fields(bytes: Uint8Array, count: number): bigint[] {
  if (bytes.length !== count * 32) {
    throw new MerkleError('MERKLE_CORRUPT', `Stored leaf has ${bytes.length} bytes, expected ${count * 32}`);
  }
  return Array.from({ length: count }, (_, k) => bufferToField(bytes.subarray(32 * k, 32 * k + 32)));
}

/**
 * Nullifier leaves, hashed as `sha256ToField(value ‖ nextValue ‖ nextIndex)` with each part 32 bytes big-endian.
 * Inserting a value already present throws `MERKLE_DUPLICATE_KEY`.
 */
export const nullifierLeafType: IndexedLeafType<NullifierLeaf> = {
  name: 'nullifier',
  key: leaf => leaf.value,
  nextIndex: leaf => leaf.nextIndex,
  nextKey: leaf => leaf.nextValue,
  withNext: (leaf, nextIndex, nextValue) => ({ value: leaf.value, nextIndex, nextValue }),
  prefill: () => nullifierLeaf(0n),
  merge: existing => {
    const msg = `Nullifier ${existing.value} is already in the tree`;
    throw new MerkleError('MERKLE_DUPLICATE_KEY', msg, { value: existing.value.toString() });
  },
  hash: leaf => sha256ToField(nullifierLeafType.encode(leaf)),
  encode: leaf => fieldsToBuffer([leaf.value, leaf.nextValue, leaf.nextIndex]),
  decode: bytes => {
    const [value, nextValue, nextIndex] = fields(bytes, 3) as [bigint, bigint, bigint];
    return { value, nextIndex, nextValue };
  },
};

/**
 * Public data leaves ordered by slot, hashed as `sha256ToField(slot ‖ value ‖ nextSlot ‖ nextIndex)` (32 bytes
 * each). Writing a slot already present updates its value in place.
 */
export const publicDataLeafType: IndexedLeafType<PublicDataLeaf> = {
  name: 'public-data',
  key: leaf => leaf.slot,
  nextIndex: leaf => leaf.nextIndex,
  nextKey: leaf => leaf.nextSlot,
  withNext: (leaf, nextIndex, nextSlot) => ({ slot: leaf.slot, value: leaf.value, nextIndex, nextSlot }),
  prefill: () => publicDataLeaf(0n, 0n),
  merge: (existing, incoming) => ({ ...existing, value: incoming.value }),
  hash: leaf => sha256ToField(publicDataLeafType.encode(leaf)),
  encode: leaf => fieldsToBuffer([leaf.slot, leaf.value, leaf.nextSlot, leaf.nextIndex]),
  decode: bytes => {
    const [slot, value, nextSlot, nextIndex] = fields(bytes, 4) as [bigint, bigint, bigint, bigint];
    return { slot, value, nextIndex, nextSlot };
  },
};
