import type { Fr } from '../types/fr.js';
import type { AppendOnlyTreeSnapshot, BlockHeader, StateReference } from '../types/header.js';
import type { L2Block } from '../types/l2-block.js';

/** The five trees (docs/l2-protocol.md, "World state"). */
export const TREE_IDS = ['archive', 'noteHash', 'nullifier', 'publicData', 'l1ToL2Message'] as const;
export type TreeId = (typeof TREE_IDS)[number];

export const TREE_HEIGHTS: Record<TreeId, number> = {
  archive: 29,
  noteHash: 40,
  nullifier: 40,
  publicData: 40,
  l1ToL2Message: 39,
};

export { L1_TO_L2_MSGS_PER_BLOCK } from '../types/in-hash.js';

/** A leaf with its index and sibling path (leaf-level sibling first), against the root as of some block. */
export interface MembershipWitness {
  index: bigint;
  siblingPath: Buffer[];
}

/** A leaf of an indexed tree with its witness: proves membership, or (as low leaf) non-membership. */
export interface IndexedLeafWitness extends MembershipWitness {
  /** The leaf preimage: nullifier `{ value, nextIndex, nextValue }` or public data `{ slot, value, nextIndex, nextSlot }`. */
  leaf: Record<string, bigint>;
}

/**
 * An uncommitted copy of the world state on top of the committed tip: the block builder executes txs on it, the
 * archiver applies a downloaded block on it. Nothing is visible to readers until `commit`.
 */
export interface WorldStateFork {
  /** The block number the fork builds on. */
  readonly baseBlockNumber: bigint;
  /** Appends a block's L1→L2 messages, padded with zeros to 16 (call once per block, first). */
  appendL1ToL2Messages(leaves: readonly Fr[]): void;
  appendNoteHashes(leaves: readonly Fr[]): void;
  /** Inserts nullifiers; throws `WorldStateError` code `DUPLICATE_NULLIFIER` (inserting none) if one exists. */
  insertNullifiers(nullifiers: readonly Fr[]): void;
  /** Whether a nullifier is in the tree (committed or in this fork). */
  hasNullifier(nullifier: Fr): boolean;
  /** Current value of a public data slot (0 when never written). */
  readPublicData(slot: Fr): Fr;
  writePublicData(slot: Fr, value: Fr): void;
  /** Leaf at an index of the L1→L2 message tree (0 when empty). */
  getL1ToL2MessageLeaf(index: bigint): Fr;
  /** Roots and next indices of the four state trees. */
  getStateReference(): StateReference;
  /** The archive snapshot (before `appendArchive`: the block's `lastArchive`). */
  getArchiveSnapshot(): AppendOnlyTreeSnapshot;
  /** Appends a block's header hash to the archive tree. */
  appendArchive(header: BlockHeader): void;
  /** Writes everything at version `blockNumber` inside the caller's KV write transaction. */
  commitSync(blockNumber: bigint): void;
  /** Drops the fork. */
  discard(): void;
}

/** The committed world state: forks, block application, unwinds and historical reads. */
export interface WorldState {
  /** Latest block applied (0 = genesis). */
  getBlockNumber(): bigint;
  fork(): WorldStateFork;
  /**
   * Applies a downloaded block on a fork and checks it: its state reference must equal the header's and its
   * archive the block's. Returns the checked fork; the caller commits it (`commitSync`) in the same KV transaction
   * as its own record of the block, or discards it. Throws `WorldStateError` `BLOCK_MISMATCH` naming the field.
   */
  prepareBlock(block: L2Block, l1ToL2Messages: readonly Fr[]): WorldStateFork;
  /** Removes every block above `blockNumber` (inside the caller's write transaction when there is one). */
  unwindTo(blockNumber: bigint): void;
  /** Root of a tree as of a block (the latest when absent). */
  getRoot(tree: TreeId, blockNumber?: bigint): Fr;
  getSiblingPath(tree: TreeId, leafIndex: bigint, blockNumber?: bigint): Buffer[];
  /** Index of a leaf value in an append-only tree (archive, note hash, L1→L2 messages), as of a block. */
  findLeafIndex(tree: 'archive' | 'noteHash' | 'l1ToL2Message', leaf: Fr, blockNumber?: bigint): bigint | undefined;
  getLeaf(tree: TreeId, index: bigint, blockNumber?: bigint): Fr;
  /** Membership witness of a nullifier (undefined when absent), as of a block. */
  getNullifierWitness(nullifier: Fr, blockNumber?: bigint): IndexedLeafWitness | undefined;
  /** Low-leaf (non-membership) witness of a nullifier, as of a block. */
  getNullifierLowLeafWitness(nullifier: Fr, blockNumber?: bigint): IndexedLeafWitness;
  /** Public data leaf witness of a slot (its low leaf when the slot was never written), as of a block. */
  getPublicDataWitness(slot: Fr, blockNumber?: bigint): IndexedLeafWitness;
  /** Value of a public data slot as of a block (0 when never written). */
  getPublicStorageAt(slot: Fr, blockNumber?: bigint): Fr;
}
