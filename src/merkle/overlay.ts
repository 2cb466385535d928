import { sha256ToField } from '../foundation/crypto/index.js';
import type { CommittedView, TreeView } from './views.js';

/**
 * Uncommitted node changes on top of a committed view. Leaf hashes are set eagerly; inner nodes are recomputed
 * lazily, once per changed node and level, when a root or path is read or the overlay is committed — so a batch
 * of k leaves costs about k + height hashes, not k × height.
 */
export class TreeOverlay implements TreeView {
  readonly height: number;
  private readonly levels: Map<number, Buffer>[] = [];
  private readonly baseCache: Map<number, Buffer>[] = [];
  private dirty = new Set<number>();
  private currentSize: number;

  constructor(readonly base: CommittedView) {
    this.height = base.height;
    for (let level = 0; level <= this.height; level++) {
      this.levels.push(new Map());
      this.baseCache.push(new Map());
    }
    this.currentSize = base.size();
  }

  size(): number {
    return this.currentSize;
  }

  /** Sets the size (next leaf index). */
  setSize(size: number): void {
    this.currentSize = size;
  }

  /** Sets the hash of leaf `index`. */
  setLeaf(index: number, hash: Buffer): void {
    this.levels[0]!.set(index, hash);
    this.dirty.add(index);
  }

  node(level: number, index: number): Buffer {
    if (level > 0 && this.dirty.size > 0) this.flush();
    return this.levels[level]!.get(index) ?? this.baseNode(level, index);
  }

  private baseNode(level: number, index: number): Buffer {
    const cache = this.baseCache[level]!;
    let hash = cache.get(index);
    if (hash === undefined) {
      hash = this.base.node(level, index);
      cache.set(index, hash);
    }
    return hash;
  }

  /** Recomputes the inner nodes above every leaf changed since the last flush. */
  flush(): void {
    let changed = this.dirty;
    this.dirty = new Set();
    for (let level = 0; level < this.height; level++) {
      const below = this.levels[level]!;
      const above = this.levels[level + 1]!;
      const parents = new Set<number>();
      for (const index of changed) parents.add(Math.floor(index / 2));
      for (const parent of parents) {
        const left = below.get(2 * parent) ?? this.baseNode(level, 2 * parent);
        const right = below.get(2 * parent + 1) ?? this.baseNode(level, 2 * parent + 1);
        above.set(parent, sha256ToField(left, right));
      }
      changed = parents;
    }
  }

  /** Every node this overlay changed, as `[level, index, hash]` (flushes first). */
  *changedNodes(): Iterable<readonly [number, number, Buffer]> {
    this.flush();
    for (let level = 0; level <= this.height; level++) {
      for (const [index, hash] of this.levels[level]!) yield [level, index, hash] as const;
    }
  }
}
