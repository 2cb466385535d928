import type { Logger } from '../foundation/log/index.js';
import type { KvStore } from '../kv/index.js';
import { padL1ToL2Messages } from '../types/in-hash.js';
import {
  MerkleError,
  nullifierLeaf,
  publicDataLeaf,
  type AppendOnlyFork,
  type AppendOnlyTree,
  type IndexedFork,
  type IndexedTree,
  type NullifierLeaf,
  type PublicDataLeaf,
} from '../merkle/index.js';
import { FR_ZERO, frFromBuffer, frToBuffer, frToHex, type Fr } from '../types/fr.js';
import type { AppendOnlyTreeSnapshot, BlockHeader, StateReference } from '../types/header.js';
import { headerHash } from '../types/header-codec.js';
import { WorldStateError } from './errors.js';
import type { LeafIndex } from './leaf-index.js';
import { L1_TO_L2_MSGS_PER_BLOCK, type WorldStateFork } from './types.js';

/** The append-only trees, whose leaves are also indexed by value. */
export type AppendTreeId = 'archive' | 'noteHash' | 'l1ToL2Message';

/** The committed trees of a world state and what a fork needs to commit next to them. */
export interface WorldStateTrees {
  store: KvStore;
  archive: AppendOnlyTree;
  noteHash: AppendOnlyTree;
  nullifier: IndexedTree<NullifierLeaf>;
  publicData: IndexedTree<PublicDataLeaf>;
  l1ToL2Message: AppendOnlyTree;
  leafIndex: Record<AppendTreeId, LeafIndex>;
}

/** The 16 leaves of a block without L1→L2 messages. */
export function emptyL1ToL2Leaves(): Fr[] {
  return Array.from({ length: L1_TO_L2_MSGS_PER_BLOCK }, () => FR_ZERO);
}

function snapshotOf(fork: AppendOnlyFork | IndexedFork<unknown>): AppendOnlyTreeSnapshot {
  return { root: frFromBuffer(fork.getRoot()), nextAvailableLeafIndex: Number(fork.getSize()) };
}

/**
 * A `WorldStateFork` over the five trees' forks: every operation is synchronous and in memory until `commitSync`,
 * which writes the five trees (and the leaf-value indexes) at the block number in one KV transaction.
 */
export class LmdbWorldStateFork implements WorldStateFork {
  private base: bigint;
  private closed = false;
  private readonly archive: AppendOnlyFork;
  private readonly noteHash: AppendOnlyFork;
  private readonly nullifier: IndexedFork<NullifierLeaf>;
  private readonly publicData: IndexedFork<PublicDataLeaf>;
  private readonly l1ToL2Message: AppendOnlyFork;
  // Leaves appended since the last commit, per append-only tree, for the leaf-value indexes.
  private appended = new Map<AppendTreeId, { first: bigint; leaves: Buffer[] }>();

  constructor(
    private readonly trees: WorldStateTrees,
    baseBlockNumber: bigint,
    private readonly log: Logger,
  ) {
    this.base = baseBlockNumber;
    this.archive = trees.archive.fork();
    this.noteHash = trees.noteHash.fork();
    this.nullifier = trees.nullifier.fork();
    this.publicData = trees.publicData.fork();
    this.l1ToL2Message = trees.l1ToL2Message.fork();
  }

  /** The block number the fork builds on (after a `commitSync`, the block it committed). */
  get baseBlockNumber(): bigint {
    return this.base;
  }

  /** Appends a block's L1→L2 messages padded to 16; once per block (`BAD_L1_TO_L2_MESSAGES` otherwise). */
  appendL1ToL2Messages(leaves: readonly Fr[]): void {
    this.assertOpen();
    if (leaves.length > L1_TO_L2_MSGS_PER_BLOCK) {
      const msg = `A block has at most ${L1_TO_L2_MSGS_PER_BLOCK} L1→L2 messages, got ${leaves.length}`;
      throw new WorldStateError('BAD_L1_TO_L2_MESSAGES', msg, { count: leaves.length });
    }
    const padded = padL1ToL2Messages(leaves);
    const expected = this.base * BigInt(L1_TO_L2_MSGS_PER_BLOCK);
    const size = this.l1ToL2Message.getSize();
    if (size !== expected) {
      const msg = `The L1→L2 messages of block ${this.base + 1n} were already appended to this fork`;
      throw new WorldStateError('BAD_L1_TO_L2_MESSAGES', msg, { size, expected });
    }
    this.append('l1ToL2Message', this.l1ToL2Message, padded);
  }

  /** Appends note hashes in order. */
  appendNoteHashes(leaves: readonly Fr[]): void {
    this.assertOpen();
    this.append('noteHash', this.noteHash, leaves);
  }

  /** Inserts nullifiers in order; all or none (`DUPLICATE_NULLIFIER` if one is present or repeated). */
  insertNullifiers(nullifiers: readonly Fr[]): void {
    this.assertOpen();
    const seen = new Set<bigint>();
    for (const nullifier of nullifiers) {
      if (seen.has(nullifier) || this.hasNullifier(nullifier)) {
        const msg = `Nullifier ${frToHex(nullifier)} is already in the nullifier tree`;
        throw new WorldStateError('DUPLICATE_NULLIFIER', msg, { nullifier: frToHex(nullifier) });
      }
      seen.add(nullifier);
    }
    this.nullifier.insertMany(nullifiers.map(n => nullifierLeaf(n)));
  }

  /** Whether `nullifier` is in the tree (committed or inserted on this fork). */
  hasNullifier(nullifier: Fr): boolean {
    this.assertOpen();
    return this.nullifier.findLowLeaf(nullifier).alreadyPresent;
  }

  /** Current value of a public data slot on this fork (0 when never written). */
  readPublicData(slot: Fr): Fr {
    this.assertOpen();
    const low = this.publicData.findLowLeaf(slot);
    return (low.alreadyPresent ? low.leaf.value : 0n) as Fr;
  }

  /** Sets a public data slot (inserted when new, updated in place otherwise). */
  writePublicData(slot: Fr, value: Fr): void {
    this.assertOpen();
    this.publicData.insert(publicDataLeaf(slot, value));
  }

  /** Leaf `index` of the L1→L2 message tree on this fork (0 when empty). */
  getL1ToL2MessageLeaf(index: bigint): Fr {
    this.assertOpen();
    const leaf = this.l1ToL2Message.getLeaf(index);
    return leaf === undefined ? FR_ZERO : frFromBuffer(leaf);
  }

  /** Roots and next indices of the four state trees on this fork. */
  getStateReference(): StateReference {
    this.assertOpen();
    return {
      l1ToL2MessageTree: snapshotOf(this.l1ToL2Message),
      noteHashTree: snapshotOf(this.noteHash),
      nullifierTree: snapshotOf(this.nullifier),
      publicDataTree: snapshotOf(this.publicData),
    };
  }

  /** The archive snapshot on this fork. */
  getArchiveSnapshot(): AppendOnlyTreeSnapshot {
    this.assertOpen();
    return snapshotOf(this.archive);
  }

  /** Appends `headerHash(header)` at index `header.globalVariables.blockNumber` (`BAD_BLOCK_NUMBER` otherwise). */
  appendArchive(header: BlockHeader): void {
    this.assertOpen();
    const index = this.archive.getSize();
    const blockNumber = header.globalVariables.blockNumber;
    if (blockNumber !== index || blockNumber !== this.base + 1n) {
      const msg = `Cannot append the header of block ${blockNumber}: this fork builds block ${this.base + 1n}`;
      throw new WorldStateError('BAD_BLOCK_NUMBER', msg, { blockNumber, archiveSize: index, base: this.base });
    }
    this.append('archive', this.archive, [headerHash(header)]);
  }

  /**
   * Writes the five trees at version `blockNumber` (the block after the base, complete: its L1→L2 messages and
   * header appended) inside the caller's KV write transaction, or in its own. If the caller's transaction then
   * aborts, discard the fork.
   */
  commitSync(blockNumber: bigint): void {
    this.assertOpen();
    const archiveSize = this.archive.getSize();
    const messages = this.l1ToL2Message.getSize();
    if (blockNumber !== this.base + 1n || archiveSize !== blockNumber + 1n) {
      const msg = `Cannot commit block ${blockNumber}: the fork builds block ${this.base + 1n} and its archive has ${archiveSize} leaves (call appendArchive once)`;
      throw new WorldStateError('BAD_BLOCK_NUMBER', msg, { blockNumber, base: this.base, archiveSize });
    }
    if (messages !== blockNumber * BigInt(L1_TO_L2_MSGS_PER_BLOCK)) {
      const msg = `Cannot commit block ${blockNumber}: its L1→L2 messages were not appended`;
      throw new WorldStateError('BAD_L1_TO_L2_MESSAGES', msg, { blockNumber, size: messages });
    }
    const forks = [this.archive, this.noteHash, this.nullifier, this.publicData, this.l1ToL2Message];
    try {
      // Every tree is checked before any is written, so the commit can join the caller's transaction (no child
      // transaction: a block of a grouped commit costs no commit of its own).
      for (const fork of forks) fork.assertNotStale();
      this.trees.store.joinSync(() => {
        for (const fork of forks) fork.commit(blockNumber);
        for (const [tree, { first, leaves }] of this.appended) this.trees.leafIndex[tree].add(first, leaves);
      });
    } catch (err) {
      if (err instanceof MerkleError && err.code === 'MERKLE_STALE_FORK') {
        this.discard();
        const msg = `Cannot commit block ${blockNumber}: the world state changed since this fork was made at block ${this.base}; fork again`;
        throw new WorldStateError('STALE_FORK', msg, { blockNumber, base: this.base }, { cause: err });
      }
      throw err;
    }
    this.appended = new Map();
    this.base = blockNumber;
    this.log.debug('Committed world state', { blockNumber, archive: frToHex(snapshotOf(this.archive).root) });
  }

  /** Drops the fork; further use throws `FORK_CLOSED`. */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fork of [this.archive, this.noteHash, this.nullifier, this.publicData, this.l1ToL2Message]) {
      fork.discard();
    }
  }

  private append(tree: AppendTreeId, fork: AppendOnlyFork, leaves: readonly Fr[]): void {
    const buffers = leaves.map(frToBuffer);
    const first = fork.appendLeaves(buffers);
    const pending = this.appended.get(tree);
    if (pending === undefined) this.appended.set(tree, { first, leaves: buffers });
    else pending.leaves.push(...buffers);
  }

  private assertOpen(): void {
    if (this.closed) throw new WorldStateError('FORK_CLOSED', 'This world-state fork was discarded', {});
  }
}
