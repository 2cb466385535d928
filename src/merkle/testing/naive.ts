import { createHash } from 'node:crypto';

// A deliberately simple reference for tests: whole levels recomputed from the leaves on every query, with its own
// hashing (sha256, top byte zeroed) so it shares no code with the trees under test.

function h(...parts: Buffer[]): Buffer {
  const d = createHash('sha256').update(Buffer.concat(parts)).digest();
  d[0] = 0;
  return d;
}

function f32(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
}

/** A naive append-only (or updatable) tree: root and paths rebuilt from all leaves. */
export class NaiveTree {
  readonly leaves: Buffer[] = [];
  private readonly zeros: Buffer[] = [Buffer.alloc(32)];

  constructor(readonly height: number) {
    for (let k = 1; k <= height; k++) this.zeros.push(h(this.zeros[k - 1]!, this.zeros[k - 1]!));
  }

  private levels(): Buffer[][] {
    const out: Buffer[][] = [this.leaves.slice()];
    for (let level = 0; level < this.height; level++) {
      const cur = out[level]!;
      const next: Buffer[] = [];
      for (let i = 0; i < cur.length; i += 2) next.push(h(cur[i]!, cur[i + 1] ?? this.zeros[level]!));
      out.push(next);
    }
    return out;
  }

  root(): Buffer {
    return this.levels()[this.height]![0] ?? this.zeros[this.height]!;
  }

  path(index: number): Buffer[] {
    const levels = this.levels();
    const out: Buffer[] = [];
    let i = index;
    for (let level = 0; level < this.height; level++) {
      out.push(levels[level]![i ^ 1] ?? this.zeros[level]!);
      i = Math.floor(i / 2);
    }
    return out;
  }
}

/** A naive indexed leaf: `value` is only used by public data leaves. */
export interface NaiveLeaf {
  key: bigint;
  value: bigint;
  nextIndex: bigint;
  nextKey: bigint;
}

/** A naive indexed tree (nullifier or public data hashing), low leaves found by a linear scan. */
export class NaiveIndexedTree {
  readonly leaves: NaiveLeaf[] = [{ key: 0n, value: 0n, nextIndex: 0n, nextKey: 0n }];

  constructor(
    readonly height: number,
    readonly kind: 'nullifier' | 'public-data',
  ) {}

  hash(leaf: NaiveLeaf): Buffer {
    return this.kind === 'nullifier'
      ? h(f32(leaf.key), f32(leaf.nextKey), f32(leaf.nextIndex))
      : h(f32(leaf.key), f32(leaf.value), f32(leaf.nextKey), f32(leaf.nextIndex));
  }

  lowIndex(key: bigint): number {
    let best = 0;
    this.leaves.forEach((leaf, i) => {
      if (leaf.key <= key && leaf.key >= this.leaves[best]!.key) best = i;
    });
    return best;
  }

  /** Inserts or (public data) updates; returns false for a duplicate nullifier. */
  insert(key: bigint, value = 0n): boolean {
    const low = this.leaves[this.lowIndex(key)]!;
    if (low.key === key) {
      if (this.kind === 'nullifier') return false;
      low.value = value;
      return true;
    }
    this.leaves.push({ key, value, nextIndex: low.nextIndex, nextKey: low.nextKey });
    low.nextIndex = BigInt(this.leaves.length - 1);
    low.nextKey = key;
    return true;
  }

  tree(): NaiveTree {
    const t = new NaiveTree(this.height);
    for (const leaf of this.leaves) t.leaves.push(this.hash(leaf));
    return t;
  }
}
