import { bufferToField, fieldToBuffer } from './codec.js';
import { MerkleError } from './errors.js';
import type { IndexedLeafType } from './indexed-leaves.js';
import type { IndexedWitness, LowLeaf } from './indexed-tree.js';
import type { ForkCore } from './tree-core.js';
import { rootOf, siblingPathOf } from './views.js';

/** Result of inserting one leaf: where it is, and whether an existing leaf with its key was updated in place. */
export interface IndexedInsertResult {
  index: bigint;
  updated: boolean;
}

/**
 * An in-memory overlay on an `IndexedTree`'s latest state: inserts, updates and reads (roots, paths, low leaves)
 * see it; the committed state is untouched until `commit`.
 */
export class IndexedFork<L> {
  private leaves = new Map<number, L>();
  // Keys inserted in this fork, sorted, with their leaf indices (the committed ones are looked up in the store).
  private keys: bigint[] = [];
  private keyIndices: number[] = [];
  // Reads of the committed base, which does not change under a live fork (a stale fork fails at commit): a key is
  // looked up by the state rules, then by the insert's duplicate check, then by the insert itself.
  private baseLowKeys = new Map<bigint, { key: bigint; index: number } | undefined>();
  private baseLeaves = new Map<number, L | undefined>();

  constructor(
    private readonly core: ForkCore,
    private readonly leafType: IndexedLeafType<L>,
  ) {}

  /**
   * Inserts `leaf` (its next pointers are ignored): a new key is linked after its low leaf and appended; an
   * existing key is merged in place by the leaf type (public data: value updated; nullifiers: throws
   * `MERKLE_DUPLICATE_KEY`, leaving the fork unchanged).
   */
  insert(leaf: L): IndexedInsertResult {
    this.core.assertOpen();
    const type = this.leafType;
    const key = type.key(leaf);
    fieldToBuffer(key); // range check
    const low = this.lowLeaf(key);
    const lowIndex = Number(low.index);
    if (low.alreadyPresent) {
      this.setLeaf(lowIndex, type.merge(low.leaf, leaf));
      return { index: low.index, updated: true };
    }
    this.core.assertRoom(1);
    const index = this.core.overlay.size();
    this.setLeaf(index, type.withNext(leaf, type.nextIndex(low.leaf), type.nextKey(low.leaf)));
    this.setLeaf(lowIndex, type.withNext(low.leaf, BigInt(index), key));
    this.core.overlay.setSize(index + 1);
    const at = this.position(key);
    this.keys.splice(at, 0, key);
    this.keyIndices.splice(at, 0, index);
    return { index: BigInt(index), updated: false };
  }

  /** Inserts `leaves` in order (see `insert`). */
  insertMany(leaves: readonly L[]): IndexedInsertResult[] {
    return leaves.map(leaf => this.insert(leaf));
  }

  /** Root including the fork's changes. */
  getRoot(): Buffer {
    this.core.assertOpen();
    return rootOf(this.core.overlay);
  }

  /** Size including the fork's changes. */
  getSize(): bigint {
    this.core.assertOpen();
    return BigInt(this.core.overlay.size());
  }

  /** Sibling path of leaf `index` including the fork's changes. */
  getSiblingPath(index: bigint): Buffer[] {
    this.core.assertOpen();
    return siblingPathOf(this.core.overlay, this.core.tree.leafIndex(index));
  }

  /** Leaf preimage at `index` including the fork's changes. */
  getLeaf(index: bigint): L | undefined {
    this.core.assertOpen();
    return this.leafAt(this.core.tree.leafIndex(index));
  }

  /** The leaf with the largest key `<= key`, including the fork's changes. */
  findLowLeaf(key: bigint): LowLeaf<L> {
    this.core.assertOpen();
    return this.lowLeaf(key);
  }

  /** Low leaf of `key` with its sibling path, including the fork's changes. */
  getLowLeafWitness(key: bigint): IndexedWitness<L> & { alreadyPresent: boolean } {
    const low = this.findLowLeaf(key);
    return { ...low, siblingPath: siblingPathOf(this.core.overlay, Number(low.index)) };
  }

  /** The leaf holding `key` with its sibling path, `undefined` when absent. */
  getMembershipWitness(key: bigint): IndexedWitness<L> | undefined {
    const { alreadyPresent, ...witness } = this.getLowLeafWitness(key);
    return alreadyPresent ? witness : undefined;
  }

  /** Writes the fork's changes as `version`; see `AppendOnlyFork.commit`. */
  commit(version: bigint): void {
    const leaves = [...this.leaves].map(([i, leaf]) => [i, this.leafType.encode(leaf)] as const);
    const keys = this.keys.map((key, k) => [fieldToBuffer(key), this.keyIndices[k]!] as const);
    this.core.commit(version, { leaves, keys });
    this.leaves = new Map();
    this.keys = [];
    this.keyIndices = [];
    this.baseLowKeys = new Map();
    this.baseLeaves = new Map();
  }

  /** Throws `MERKLE_STALE_FORK` if the tree changed since the fork was made, as `commit` would, writing nothing. */
  assertNotStale(): void {
    this.core.assertOpen();
    this.core.assertFresh();
  }

  /** Drops the fork's changes; the fork can no longer be used. */
  discard(): void {
    this.core.discard();
  }

  /** Writes the key-0 leaf of an empty tree (used once, when a tree is created). */
  prefill(): void {
    if (this.core.overlay.size() !== 0) throw new MerkleError('MERKLE_CORRUPT', 'Only an empty tree is prefilled');
    this.setLeaf(0, this.leafType.prefill());
    this.core.overlay.setSize(1);
    this.keys = [this.leafType.key(this.leafType.prefill())];
    this.keyIndices = [0];
  }

  private setLeaf(index: number, leaf: L): void {
    this.leaves.set(index, leaf);
    this.core.overlay.setLeaf(index, this.leafType.hash(leaf));
  }

  private leafAt(index: number): L | undefined {
    const own = this.leaves.get(index);
    if (own !== undefined) return own;
    if (this.baseLeaves.has(index)) return this.baseLeaves.get(index);
    const bytes = this.core.overlay.base.leaf(index);
    const leaf = bytes === undefined ? undefined : this.leafType.decode(bytes);
    this.baseLeaves.set(index, leaf);
    return leaf;
  }

  private baseLowKey(key: bigint): { key: bigint; index: number } | undefined {
    if (this.baseLowKeys.has(key)) return this.baseLowKeys.get(key);
    const base = this.core.overlay.base.lowKey(fieldToBuffer(key));
    const low = base === undefined ? undefined : { key: bufferToField(base.key), index: base.index };
    this.baseLowKeys.set(key, low);
    return low;
  }

  // Index in `keys` of the first key greater than `key`.
  private position(key: bigint): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowLeaf(key: bigint): LowLeaf<L> {
    const at = this.position(key) - 1;
    let best: { key: bigint; index: number } | undefined =
      at >= 0 ? { key: this.keys[at]!, index: this.keyIndices[at]! } : undefined;
    const base = this.baseLowKey(key);
    if (base !== undefined && (best === undefined || base.key > best.key)) best = base;
    const leaf = best === undefined ? undefined : this.leafAt(best.index);
    if (best === undefined || leaf === undefined) {
      throw new MerkleError('MERKLE_CORRUPT', `No low leaf for ${key}: the tree is not prefilled`);
    }
    return { index: BigInt(best.index), leaf, alreadyPresent: best.key === key };
  }
}
