import { sha256ToField } from './sha256.js';

/**
 * Root of a sha256ToField Merkle tree from a leaf, its index and its sibling path (leaf-level sibling first).
 * Bit k of `index` set means the node at level k is a right child. Mirrors `MerkleLib.computeRoot` on L1.
 */
export function computeRootFromPath(leaf: Uint8Array, index: bigint, path: readonly Uint8Array[]): Buffer {
  let node: Buffer = Buffer.from(leaf);
  let i = index;
  for (const sibling of path) {
    node = (i & 1n) === 1n ? sha256ToField(sibling, node) : sha256ToField(node, sibling);
    i >>= 1n;
  }
  return node;
}

/** Roots of empty subtrees by height: `zeroHashes(h)[k]` is the root of an all-zero tree of height k. */
export function zeroHashes(height: number): Buffer[] {
  const out: Buffer[] = [Buffer.alloc(32)];
  for (let k = 1; k <= height; k++) out.push(sha256ToField(out[k - 1]!, out[k - 1]!));
  return out;
}
