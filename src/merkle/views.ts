import { zeroHashes } from '../foundation/crypto/index.js';
import type { VersionedTreeStore } from './versioned-store.js';

const zeroCache = new Map<number, readonly Buffer[]>();

/** Roots of empty subtrees for a tree of `height`, computed once per height. */
export function zerosFor(height: number): readonly Buffer[] {
  let zeros = zeroCache.get(height);
  if (zeros === undefined) {
    zeros = zeroHashes(height);
    zeroCache.set(height, zeros);
  }
  return zeros;
}

/** A tree's state at one point (a committed version or a fork): its size and any node. */
export interface TreeView {
  readonly height: number;
  /** Next leaf index. */
  size(): number;
  /** Hash of the node at `level` (0 = leaves) and `index`, the zero hash for an empty subtree. */
  node(level: number, index: number): Buffer;
}

/** Root of `view`. */
export function rootOf(view: TreeView): Buffer {
  return view.node(view.height, 0);
}

/** Sibling path of leaf `index`, leaf-level sibling first (as `computeRootFromPath` expects). */
export function siblingPathOf(view: TreeView, index: number): Buffer[] {
  const path: Buffer[] = [];
  let i = index;
  for (let level = 0; level < view.height; level++) {
    path.push(view.node(level, i % 2 === 0 ? i + 1 : i - 1));
    i = Math.floor(i / 2);
  }
  return path;
}

/** The committed state of a tree as of `version` (`undefined`: before the first commit, i.e. empty). */
export class CommittedView implements TreeView {
  readonly height: number;
  private readonly zeros: readonly Buffer[];
  private cachedSize: number | undefined;

  constructor(
    readonly store: VersionedTreeStore,
    readonly version: number | undefined,
  ) {
    this.height = store.height;
    this.zeros = zerosFor(store.height);
  }

  size(): number {
    if (this.cachedSize === undefined) {
      this.cachedSize = this.version === undefined ? 0 : this.store.size(this.version);
    }
    return this.cachedSize;
  }

  node(level: number, index: number): Buffer {
    // A subtree that starts at or after the size holds only empty leaves: no read needed.
    if (this.version === undefined || index * 2 ** level >= this.size()) return this.zeros[level]!;
    return this.store.node(level, index, this.version) ?? this.zeros[level]!;
  }

  /** Leaf preimage at `index` (indexed trees). */
  leaf(index: number): Buffer | undefined {
    if (this.version === undefined || index >= this.size()) return undefined;
    return this.store.leaf(index, this.version);
  }

  /** Largest sorted key `<= key` with its leaf index (indexed trees). */
  lowKey(key: Buffer): { key: Buffer; index: number } | undefined {
    return this.version === undefined ? undefined : this.store.lowKey(key, this.version);
  }
}
