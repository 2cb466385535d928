import type { KvStore } from '../kv/index.js';
import { createLogger } from '../foundation/log/index.js';
import { toSafeNumber } from './codec.js';
import { MerkleError } from './errors.js';
import { TreeOverlay } from './overlay.js';
import { VersionedTreeStore, type TreeChanges } from './versioned-store.js';
import { CommittedView, rootOf, siblingPathOf } from './views.js';

/** Options common to both kinds of tree. */
export interface TreeOptions {
  /** Unique name inside the store (its map is `merkle:<name>`). */
  name: string;
  /** Height: the tree holds 2^height leaves (1..52). */
  height: number;
  /**
   * How many recent versions stay readable (tip included); older ones are pruned and reading them throws
   * `MERKLE_VERSION_PRUNED`. Absent: keep every version. The world state keeps at least 64.
   */
  history?: number;
}

const log = createLogger('merkle');

/** Committed, versioned state of one tree: version resolution and the reads both tree kinds share. */
export class CommittedTree {
  readonly store: VersionedTreeStore;

  constructor(kv: KvStore, options: TreeOptions) {
    const { name, height, history } = options;
    if (!Number.isInteger(height) || height < 1 || height > 52) {
      throw new MerkleError('MERKLE_BAD_OPTION', `Tree "${name}": height must be 1..52, got ${height}`, { height });
    }
    if (history !== undefined && (!Number.isInteger(history) || history < 1)) {
      throw new MerkleError('MERKLE_BAD_OPTION', `Tree "${name}": history must be a positive integer`, { history });
    }
    this.store = new VersionedTreeStore(kv, name, height, history);
  }

  /** The committed state as of `version` (default: the tip), after checking it is readable. */
  view(version?: bigint): CommittedView {
    const tip = this.store.tip();
    if (version === undefined) return new CommittedView(this.store, tip);
    const v = toSafeNumber(version, 'version', 'MERKLE_BAD_VERSION');
    if (tip === undefined || v > tip) {
      const msg = `Tree "${this.store.name}" has no version ${v} yet (tip: ${tip ?? 'none'})`;
      throw new MerkleError('MERKLE_VERSION_AHEAD', msg, { version: v, tip });
    }
    const oldest = this.store.oldest() ?? 0;
    if (v < oldest) {
      const msg = `Tree "${this.store.name}" no longer keeps version ${v} (oldest kept: ${oldest})`;
      throw new MerkleError('MERKLE_VERSION_PRUNED', msg, { version: v, oldest });
    }
    return new CommittedView(this.store, v);
  }

  /** Checks a leaf index fits the tree. */
  leafIndex(index: bigint): number {
    const i = toSafeNumber(index, 'index', 'MERKLE_INDEX_OUT_OF_RANGE');
    if (i >= 2 ** this.store.height) {
      const msg = `Leaf index ${index} is outside tree "${this.store.name}" of height ${this.store.height}`;
      throw new MerkleError('MERKLE_INDEX_OUT_OF_RANGE', msg, { index: i });
    }
    return i;
  }

  latestVersion(): bigint | undefined {
    const tip = this.store.tip();
    return tip === undefined ? undefined : BigInt(tip);
  }

  oldestVersion(): bigint | undefined {
    const oldest = this.store.oldest();
    return oldest === undefined ? undefined : BigInt(oldest);
  }

  root(version?: bigint): Buffer {
    return rootOf(this.view(version));
  }

  size(version?: bigint): bigint {
    return BigInt(this.view(version).size());
  }

  siblingPath(index: bigint, version?: bigint): Buffer[] {
    const i = this.leafIndex(index);
    return siblingPathOf(this.view(version), i);
  }

  unwindTo(version: bigint): void {
    const v = toSafeNumber(version, 'version', 'MERKLE_BAD_VERSION');
    this.store.unwindTo(v);
    log.debug('Unwound tree', { tree: this.store.name, version: v });
  }
}

/**
 * Shared machinery of forks: an overlay on the committed tip, a staleness check and commit. After `commit`, the
 * fork continues on top of the version it wrote.
 */
export class ForkCore {
  overlay!: TreeOverlay;
  private baseRoot!: Buffer;
  private baseVersion: number | undefined;
  private closed = false;

  constructor(
    readonly tree: CommittedTree,
    readonly capacity = 2 ** tree.store.height,
  ) {
    this.rebase(new CommittedView(tree.store, tree.store.tip()));
  }

  private rebase(view: CommittedView): void {
    this.overlay = new TreeOverlay(view);
    this.baseVersion = view.version;
    this.baseRoot = rootOf(view);
  }

  assertOpen(): void {
    if (this.closed) {
      const msg = `This fork of tree "${this.tree.store.name}" was discarded`;
      throw new MerkleError('MERKLE_FORK_CLOSED', msg, { tree: this.tree.store.name });
    }
  }

  /** Throws `MERKLE_TREE_FULL` unless `count` more leaves fit. */
  assertRoom(count: number): void {
    if (this.overlay.size() + count > this.capacity) {
      const msg = `Tree "${this.tree.store.name}" is full: cannot add ${count} leaves at ${this.overlay.size()}`;
      throw new MerkleError('MERKLE_TREE_FULL', msg, { size: this.overlay.size(), count });
    }
  }

  commit(version: bigint, extra: Omit<TreeChanges, 'size' | 'nodes'> = {}): void {
    this.assertOpen();
    const v = toSafeNumber(version, 'version', 'MERKLE_BAD_VERSION');
    const store = this.tree.store;
    // Joins the caller's transaction: the staleness check comes before any write.
    store.kv.joinSync(() => {
      this.assertFresh();
      store.write(v, { ...extra, size: this.overlay.size(), nodes: this.overlay.changedNodes() });
    });
    this.rebase(new CommittedView(store, v));
  }

  /** Throws `MERKLE_STALE_FORK` if the tree changed since the fork was made (or last committed). */
  assertFresh(): void {
    const store = this.tree.store;
    const tip = store.tip();
    if (tip !== this.baseVersion || !rootOf(new CommittedView(store, tip)).equals(this.baseRoot)) {
      const msg = `Tree "${store.name}" changed since this fork was made (at ${this.baseVersion ?? 'empty'}); fork again`;
      throw new MerkleError('MERKLE_STALE_FORK', msg, { base: this.baseVersion, tip });
    }
  }

  discard(): void {
    this.closed = true;
  }
}
