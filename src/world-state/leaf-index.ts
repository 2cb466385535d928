import type { KvMap, KvStore } from '../kv/index.js';
import type { AppendOnlyTree } from '../merkle/index.js';

/**
 * A persistent `leaf value → first index` lookup for an append-only tree (the Merkle trees only go from index to
 * leaf). Zero leaves (the L1→L2 padding, empty slots) are not indexed. Entries are written in the same KV
 * transaction as the tree commit, and removed by `unwind`. An index found is valid as of block `b` exactly when
 * it is below the tree's size at `b`, since leaves are only appended.
 */
export class LeafIndex {
  private readonly map: KvMap<Uint8Array, number>;

  constructor(
    store: KvStore,
    name: string,
    private readonly tree: AppendOnlyTree,
  ) {
    this.map = store.openMap<number>(`world-state:leaf-index:${name}`, { keys: 'binary' });
  }

  /** Records leaves appended from `firstIndex` on (inside the caller's write transaction). */
  add(firstIndex: bigint, leaves: readonly Buffer[]): void {
    leaves.forEach((leaf, k) => {
      if (isZero(leaf) || this.map.has(leaf)) return;
      this.map.set(leaf, Number(firstIndex) + k);
    });
  }

  /** First index of `leaf`, if it is below `size` (the tree's size at the block asked about). */
  find(leaf: Buffer, size: bigint): bigint | undefined {
    const index = this.map.get(leaf);
    return index !== undefined && BigInt(index) < size ? BigInt(index) : undefined;
  }

  /** Forgets the leaves at indices `>= size` (call before unwinding the tree to that size). */
  unwind(size: bigint): void {
    const tip = this.tree.getSize();
    for (let i = size; i < tip; i++) {
      const leaf = this.tree.getLeaf(i);
      if (leaf === undefined || isZero(leaf)) continue;
      if (this.map.get(leaf) === Number(i)) this.map.delete(leaf);
    }
  }
}

function isZero(leaf: Buffer): boolean {
  for (const byte of leaf) if (byte !== 0) return false;
  return true;
}
