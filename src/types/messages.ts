import { encodeAbiParameters, type Address } from 'viem';

import { sha256ToField } from '../foundation/crypto/index.js';
import { NodeError } from '../foundation/errors/index.js';
import { FR_ZERO, frToBuffer, frToHex, hashToFr, type Fr } from './fr.js';
import type { UnsignedTx } from './tx.js';

// Tree nodes are sha256ToField outputs, always fields.
const bufferToFr = (b: Buffer) => BigInt(`0x${b.toString('hex')}`) as Fr;

const L2_TO_L1_LEAF_ABI = [{ type: 'bytes32' }, { type: 'address' }, { type: 'uint256' }, { type: 'bytes32' }] as const;

/**
 * Leaf of an L2→L1 message in its block's out tree, as the Outbox recomputes it:
 * `sha256ToField(abi.encode(bytes32 sender, address recipient, uint256 l1ChainId, bytes32 content))`.
 */
export function l2ToL1MessageLeaf(sender: Fr, recipient: Address, l1ChainId: bigint, content: Fr): Fr {
  const encoded = encodeAbiParameters(L2_TO_L1_LEAF_ABI, [frToHex(sender), recipient, l1ChainId, frToHex(content)]);
  return hashToFr(Buffer.from(encoded.slice(2), 'hex'));
}

/** The levels of the out tree over `leaves`, zero-padded to the next power of two; `levels[0]` = the leaves. */
function outTreeLevels(leaves: readonly Fr[]): Buffer[][] {
  let level = leaves.map(frToBuffer);
  let width = 1;
  while (width < level.length) width *= 2;
  while (level.length < width) level.push(Buffer.alloc(32));
  const levels = [level];
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256ToField(level[i]!, level[i + 1]!));
    levels.push(next);
    level = next;
  }
  return levels;
}

/**
 * A block's `outHash`: root of the tree of its L2→L1 message leaves (body order), zero-padded to the next power of
 * two, height `ceil(log2(n))` (one leaf is its own root); `0` when there are none.
 */
export function computeOutHash(leaves: readonly Fr[]): Fr {
  if (leaves.length === 0) return FR_ZERO;
  return rootOf(outTreeLevels(leaves));
}

function rootOf(levels: Buffer[][]): Fr {
  return bufferToFr(levels[levels.length - 1]![0]!);
}

/**
 * Sibling path (leaf-level sibling first) of leaf `index` in the out tree over `leaves`: with the message leaf, what
 * `Outbox.consume` needs to prove it against the block's `outHash`.
 */
export function outHashSiblingPath(leaves: readonly Fr[], index: number): Fr[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new NodeError('INVALID_LEAF_INDEX', `leaf index ${index} is outside 0..${leaves.length - 1}`);
  }
  const levels = outTreeLevels(leaves);
  const path: Fr[] = [];
  let i = index;
  for (const level of levels.slice(0, -1)) {
    path.push(bufferToFr(level[i ^ 1]!));
    i >>= 1;
  }
  return path;
}

/** Leaves of a tx's L2→L1 messages (sender = its fee payer), in tx order: what its `TxEffect` carries. */
export function txL2ToL1MessageLeaves(tx: UnsignedTx, l1ChainId: bigint): Fr[] {
  return tx.l2ToL1Messages.map(m => l2ToL1MessageLeaf(tx.feePayer, m.recipient, l1ChainId, m.content));
}
