import { sha256ToField, zeroHashes } from '../../foundation/crypto/index.js';
import { frFromBuffer, frToBuffer, type Fr } from '../../types/index.js';

// Test-only reference trees: plain maps, real sha256ToField Merkle roots (sparse: only non-empty nodes are stored).

const u256 = (n: bigint) => frToBuffer(n as Fr);

/** A sparse sha256ToField Merkle tree of a fixed height, leaves set by index. */
export class SparseTree {
  private nodes = new Map<string, Buffer>();
  private readonly zeros: Buffer[];
  size = 0n;

  constructor(readonly height: number) {
    this.zeros = zeroHashes(height);
  }

  private node(level: number, index: bigint): Buffer {
    return this.nodes.get(`${level}:${index}`) ?? this.zeros[level]!;
  }

  set(index: bigint, leaf: Fr): void {
    let node = u256(leaf);
    let i = index;
    this.nodes.set(`0:${i}`, node);
    for (let level = 0; level < this.height; level++) {
      const sibling = this.node(level, i ^ 1n);
      node = (i & 1n) === 1n ? sha256ToField(sibling, node) : sha256ToField(node, sibling);
      i >>= 1n;
      this.nodes.set(`${level + 1}:${i}`, node);
    }
    if (index >= this.size) this.size = index + 1n;
  }

  append(leaf: Fr): bigint {
    const index = this.size;
    this.set(index, leaf);
    return index;
  }

  leaf(index: bigint): Fr {
    return frFromBuffer(this.node(0, index));
  }

  root(): Fr {
    return frFromBuffer(this.node(this.height, 0n));
  }

  siblingPath(index: bigint): Buffer[] {
    const path: Buffer[] = [];
    let i = index;
    for (let level = 0; level < this.height; level++) {
      path.push(this.node(level, i ^ 1n));
      i >>= 1n;
    }
    return path;
  }

  clone(): SparseTree {
    const copy = new SparseTree(this.height);
    copy.nodes = new Map(this.nodes);
    copy.size = this.size;
    return copy;
  }
}

/** An indexed-tree leaf: `key` is the nullifier or the public data slot; `value` only counts for public data. */
export interface IndexedLeaf {
  key: bigint;
  value: bigint;
  nextIndex: bigint;
  nextKey: bigint;
}

/** A nullifier or public data indexed tree, prefilled with the zero leaf at index 0 (linear scans: tests only). */
export class IndexedTreeRef {
  leaves: IndexedLeaf[] = [{ key: 0n, value: 0n, nextIndex: 0n, nextKey: 0n }];
  tree: SparseTree;

  constructor(
    readonly kind: 'nullifier' | 'publicData',
    height: number,
  ) {
    this.tree = new SparseTree(height);
    this.tree.set(0n, this.hash(this.leaves[0]!));
  }

  hash(l: IndexedLeaf): Fr {
    const parts =
      this.kind === 'nullifier'
        ? [u256(l.key), u256(l.nextKey), u256(l.nextIndex)]
        : [u256(l.key), u256(l.value), u256(l.nextKey), u256(l.nextIndex)];
    return frFromBuffer(sha256ToField(...parts));
  }

  /** Index of the leaf with `key`, if any. */
  find(key: bigint): number | undefined {
    const i = this.leaves.findIndex(l => l.key === key);
    return i < 0 ? undefined : i;
  }

  /** Index of the largest key `<=` `key`. */
  lowIndex(key: bigint): number {
    let best = 0;
    this.leaves.forEach((l, i) => {
      if (l.key <= key && l.key >= this.leaves[best]!.key) best = i;
    });
    return best;
  }

  /** Inserts `key` (a public data slot that exists is updated in place). */
  upsert(key: bigint, value = 0n): void {
    const existing = this.find(key);
    if (existing !== undefined) {
      const leaf = this.leaves[existing]!;
      leaf.value = value;
      this.tree.set(BigInt(existing), this.hash(leaf));
      return;
    }
    const lowI = this.lowIndex(key);
    const low = this.leaves[lowI]!;
    const index = BigInt(this.leaves.length);
    const leaf = { key, value, nextIndex: low.nextIndex, nextKey: low.nextKey };
    this.leaves.push(leaf);
    low.nextIndex = index;
    low.nextKey = key;
    this.tree.set(BigInt(lowI), this.hash(low));
    this.tree.set(index, this.hash(leaf));
  }

  clone(): IndexedTreeRef {
    const copy = new IndexedTreeRef(this.kind, this.tree.height);
    copy.leaves = this.leaves.map(l => ({ ...l }));
    copy.tree = this.tree.clone();
    return copy;
  }
}
