import type { KvStore } from '../kv/index.js';
import { MerkleError } from './errors.js';
import { checkStoredNodes } from './integrity.js';
import { CommittedTree, ForkCore, type TreeOptions } from './tree-core.js';
import { rootOf, siblingPathOf } from './views.js';

/**
 * An append-only sha256ToField Merkle tree persisted in a `KvStore`, versioned by block number. Reads take an
 * optional `version` (default: the latest) and return the state as of that version. Changes are made on a
 * `fork()` and written by its `commit(version)`.
 */
export class AppendOnlyTree {
  private readonly tree: CommittedTree;

  constructor(kv: KvStore, options: TreeOptions) {
    this.tree = new CommittedTree(kv, options);
  }

  get name(): string {
    return this.tree.store.name;
  }

  get height(): number {
    return this.tree.store.height;
  }

  /** The latest committed version, `undefined` before the first commit. */
  latestVersion(): bigint | undefined {
    return this.tree.latestVersion();
  }

  /** The oldest version still readable, `undefined` before the first commit. */
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

  /** Leaf `index` as of `version`, `undefined` beyond the size. */
  getLeaf(index: bigint, version?: bigint): Buffer | undefined {
    const i = this.tree.leafIndex(index);
    const view = this.tree.view(version);
    return i < view.size() ? view.node(0, i) : undefined;
  }

  /** An uncommitted copy of the latest state to append to. */
  fork(): AppendOnlyFork {
    return new AppendOnlyFork(new ForkCore(this.tree));
  }

  /** Rehashes every stored node of every kept version (see `checkStoredNodes`); how many entries it checked. */
  checkIntegrity(): number {
    return checkStoredNodes(this.tree.store);
  }

  /** Removes every change made at versions above `version` (reorgs, prunes). */
  unwindTo(version: bigint): void {
    this.tree.unwindTo(version);
  }
}

/** An in-memory overlay on an `AppendOnlyTree`'s latest state: the committed state is untouched until `commit`. */
export class AppendOnlyFork {
  constructor(private readonly core: ForkCore) {}

  /** Appends `leaves` (32 bytes each) at the end; returns the index of the first. */
  appendLeaves(leaves: readonly Uint8Array[]): bigint {
    this.core.assertOpen();
    this.core.assertRoom(leaves.length);
    for (const leaf of leaves) {
      if (leaf.length !== 32)
        throw new MerkleError('MERKLE_BAD_LEAF', 'A leaf must be 32 bytes', { length: leaf.length });
    }
    const overlay = this.core.overlay;
    const first = overlay.size();
    leaves.forEach((leaf, k) => overlay.setLeaf(first + k, Buffer.from(leaf)));
    overlay.setSize(first + leaves.length);
    return BigInt(first);
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

  /** Leaf `index` including the fork's changes, `undefined` beyond the size. */
  getLeaf(index: bigint): Buffer | undefined {
    this.core.assertOpen();
    const i = this.core.tree.leafIndex(index);
    return i < this.core.overlay.size() ? this.core.overlay.node(0, i) : undefined;
  }

  /**
   * Writes the fork's changes as `version` (>= the latest version) in the caller's write transaction (or its
   * own). Throws `MERKLE_STALE_FORK` if the tree changed since the fork was made. The fork then continues on top
   * of `version`; if the enclosing transaction aborts, discard it.
   */
  commit(version: bigint): void {
    this.core.commit(version);
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
}
