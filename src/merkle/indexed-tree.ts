import type { KvStore } from '../kv/index.js';
import { fieldToBuffer } from './codec.js';
import { MerkleError } from './errors.js';
import { IndexedFork } from './indexed-fork.js';
import type { IndexedLeafType } from './indexed-leaves.js';
import { checkStoredNodes } from './integrity.js';
import { CommittedTree, ForkCore, type TreeOptions } from './tree-core.js';
import { siblingPathOf, type CommittedView } from './views.js';

/** The leaf with the largest key `<=` a looked-up key; `alreadyPresent` when its key is equal. */
export interface LowLeaf<L> {
  index: bigint;
  leaf: L;
  alreadyPresent: boolean;
}

/** A leaf preimage, its index and its sibling path: what a membership or non-membership proof needs. */
export interface IndexedWitness<L> {
  index: bigint;
  leaf: L;
  siblingPath: Buffer[];
}

/** Options of an `IndexedTree`: the common ones and the leaf type. */
export interface IndexedTreeOptions<L> extends TreeOptions {
  leafType: IndexedLeafType<L>;
}

/**
 * An indexed (value-ordered, linked-leaf) Merkle tree persisted in a `KvStore`, versioned by block number.
 * A new tree is prefilled with the leaf type's key-0 leaf at index 0, committed as version 0. Reads take an
 * optional `version` (default: the latest); changes are made on a `fork()`.
 */
export class IndexedTree<L> {
  private readonly tree: CommittedTree;
  readonly leafType: IndexedLeafType<L>;

  constructor(kv: KvStore, options: IndexedTreeOptions<L>) {
    this.tree = new CommittedTree(kv, options);
    this.leafType = options.leafType;
    if (this.tree.store.tip() === undefined) {
      const fork = this.fork();
      fork.prefill();
      fork.commit(0n);
    }
  }

  get name(): string {
    return this.tree.store.name;
  }

  get height(): number {
    return this.tree.store.height;
  }

  /** The latest committed version. */
  latestVersion(): bigint | undefined {
    return this.tree.latestVersion();
  }

  /** The oldest version still readable. */
  oldestVersion(): bigint | undefined {
    return this.tree.oldestVersion();
  }

  /** Root as of `version`. */
  getRoot(version?: bigint): Buffer {
    return this.tree.root(version);
  }

  /** Number of leaves (the next leaf index) as of `version`. */
  getSize(version?: bigint): bigint {
    return this.tree.size(version);
  }

  /** Sibling path of leaf `index` as of `version`, leaf-level sibling first. */
  getSiblingPath(index: bigint, version?: bigint): Buffer[] {
    return this.tree.siblingPath(index, version);
  }

  /** Leaf preimage at `index` as of `version`, `undefined` beyond the size. */
  getLeaf(index: bigint, version?: bigint): L | undefined {
    const i = this.tree.leafIndex(index);
    const bytes = this.tree.view(version).leaf(i);
    return bytes === undefined ? undefined : this.leafType.decode(bytes);
  }

  /** The leaf with the largest key `<= key` as of `version`. */
  findLowLeaf(key: bigint, version?: bigint): LowLeaf<L> {
    return this.lowLeafIn(this.tree.view(version), key);
  }

  /** The low leaf of `key` with its sibling path as of `version`: a non-membership proof when not present. */
  getLowLeafWitness(key: bigint, version?: bigint): IndexedWitness<L> & { alreadyPresent: boolean } {
    const view = this.tree.view(version);
    const low = this.lowLeafIn(view, key);
    return { ...low, siblingPath: siblingPathOf(view, Number(low.index)) };
  }

  /** The leaf holding `key` with its sibling path as of `version`, `undefined` when absent. */
  getMembershipWitness(key: bigint, version?: bigint): IndexedWitness<L> | undefined {
    const witness = this.getLowLeafWitness(key, version);
    if (!witness.alreadyPresent) return undefined;
    return { index: witness.index, leaf: witness.leaf, siblingPath: witness.siblingPath };
  }

  /** An uncommitted copy of the latest state to insert into. */
  fork(): IndexedFork<L> {
    return new IndexedFork(new ForkCore(this.tree), this.leafType);
  }

  /** Rehashes every stored node of every kept version (see `checkStoredNodes`); how many entries it checked. */
  checkIntegrity(): number {
    return checkStoredNodes(this.tree.store, b => this.leafType.hash(this.leafType.decode(b)));
  }

  /** Removes every change made at versions above `version` (reorgs, prunes). */
  unwindTo(version: bigint): void {
    this.tree.unwindTo(version);
  }

  private lowLeafIn(view: CommittedView, key: bigint): LowLeaf<L> {
    const low = view.lowKey(fieldToBuffer(key));
    const bytes = low === undefined ? undefined : view.leaf(low.index);
    if (low === undefined || bytes === undefined) {
      const msg = `Tree "${this.name}" has no low leaf for ${key}: is it an indexed tree?`;
      throw new MerkleError('MERKLE_CORRUPT', msg, { key: key.toString() });
    }
    const leaf = this.leafType.decode(bytes);
    return { index: BigInt(low.index), leaf, alreadyPresent: this.leafType.key(leaf) === key };
  }
}
