import { feeJuiceBalanceSlot, headerHash, type BlockHeader, type Fr, type L2Block } from '../../types/index.js';
import { WorldStateError } from '../../world-state/errors.js';
import { genesisHeaderHash } from '../../world-state/genesis.js';
import {
  L1_TO_L2_MSGS_PER_BLOCK,
  TREE_HEIGHTS,
  type IndexedLeafWitness,
  type TreeId,
  type WorldState,
  type WorldStateFork,
} from '../../world-state/types.js';
import { IndexedTreeRef, SparseTree, type IndexedLeaf } from './trees.js';

// A reference world state for tests, kept in memory: the same trees and roots as docs/l2-protocol.md describes,
// with linear scans and whole-state copies instead of anything efficient. Not for production use.

interface Trees {
  archive: SparseTree;
  noteHash: SparseTree;
  nullifier: IndexedTreeRef;
  publicData: IndexedTreeRef;
  l1ToL2Message: SparseTree;
}

const clone = (t: Trees): Trees => ({
  archive: t.archive.clone(),
  noteHash: t.noteHash.clone(),
  nullifier: t.nullifier.clone(),
  publicData: t.publicData.clone(),
  l1ToL2Message: t.l1ToL2Message.clone(),
});

const snapshot = (tree: SparseTree, size = tree.size) => ({ root: tree.root(), nextAvailableLeafIndex: Number(size) });

/** An in-memory `WorldStateFork` over a copy of the trees. */
export class MemoryFork implements WorldStateFork {
  private closed = false;
  private messagesAppended = false;

  constructor(
    readonly baseBlockNumber: bigint,
    readonly trees: Trees,
    private readonly parent: MemoryWorldState,
  ) {}

  appendL1ToL2Messages(leaves: readonly Fr[]): void {
    if (leaves.length > L1_TO_L2_MSGS_PER_BLOCK || this.messagesAppended) {
      throw new WorldStateError('BAD_L1_TO_L2_MESSAGES', 'more than 16 messages, or appended twice');
    }
    this.messagesAppended = true;
    const first = this.baseBlockNumber * BigInt(L1_TO_L2_MSGS_PER_BLOCK);
    for (let i = 0; i < L1_TO_L2_MSGS_PER_BLOCK; i++) {
      this.trees.l1ToL2Message.set(first + BigInt(i), leaves[i] ?? (0n as Fr));
    }
  }

  appendNoteHashes(leaves: readonly Fr[]): void {
    for (const leaf of leaves) this.trees.noteHash.append(leaf);
  }

  insertNullifiers(nullifiers: readonly Fr[]): void {
    const seen = new Set<bigint>();
    for (const n of nullifiers) {
      if (seen.has(n) || this.hasNullifier(n)) {
        throw new WorldStateError('DUPLICATE_NULLIFIER', `nullifier ${n} already exists`);
      }
      seen.add(n);
    }
    for (const n of nullifiers) this.trees.nullifier.upsert(n);
  }

  hasNullifier(nullifier: Fr): boolean {
    return this.trees.nullifier.find(nullifier) !== undefined;
  }

  readPublicData(slot: Fr): Fr {
    const i = this.trees.publicData.find(slot);
    return (i === undefined ? 0n : this.trees.publicData.leaves[i]!.value) as Fr;
  }

  writePublicData(slot: Fr, value: Fr): void {
    this.trees.publicData.upsert(slot, value);
  }

  getL1ToL2MessageLeaf(index: bigint): Fr {
    return this.trees.l1ToL2Message.leaf(index);
  }

  getStateReference() {
    const t = this.trees;
    return {
      l1ToL2MessageTree: snapshot(t.l1ToL2Message),
      noteHashTree: snapshot(t.noteHash),
      nullifierTree: snapshot(t.nullifier.tree, BigInt(t.nullifier.leaves.length)),
      publicDataTree: snapshot(t.publicData.tree, BigInt(t.publicData.leaves.length)),
    };
  }

  getArchiveSnapshot() {
    return snapshot(this.trees.archive);
  }

  appendArchive(header: BlockHeader): void {
    this.trees.archive.append(headerHash(header));
  }

  commitSync(blockNumber: bigint): void {
    if (this.closed) throw new WorldStateError('FORK_CLOSED', 'fork closed');
    this.parent.commit(this, blockNumber);
    this.closed = true;
  }

  discard(): void {
    this.closed = true;
  }
}

/** An in-memory `WorldState` for tests; `balances` prefunds fee juice at genesis. */
export class MemoryWorldState implements WorldState {
  private readonly history: Trees[];

  constructor(opts: { balances?: readonly (readonly [Fr, bigint])[] } = {}) {
    const genesis: Trees = {
      archive: new SparseTree(TREE_HEIGHTS.archive),
      noteHash: new SparseTree(TREE_HEIGHTS.noteHash),
      nullifier: new IndexedTreeRef('nullifier', TREE_HEIGHTS.nullifier),
      publicData: new IndexedTreeRef('publicData', TREE_HEIGHTS.publicData),
      l1ToL2Message: new SparseTree(TREE_HEIGHTS.l1ToL2Message),
    };
    genesis.archive.append(BigInt(`0x${genesisHeaderHash().toString('hex')}`) as Fr);
    for (const [account, balance] of opts.balances ?? [])
      genesis.publicData.upsert(feeJuiceBalanceSlot(account), balance);
    this.history = [genesis];
  }

  getBlockNumber(): bigint {
    return BigInt(this.history.length - 1);
  }

  fork(): MemoryFork {
    return new MemoryFork(this.getBlockNumber(), clone(this.at()), this);
  }

  /** Called by `MemoryFork.commitSync`. */
  commit(fork: MemoryFork, blockNumber: bigint): void {
    if (fork.baseBlockNumber !== this.getBlockNumber()) throw new WorldStateError('STALE_FORK', 'stale fork');
    if (blockNumber !== fork.baseBlockNumber + 1n) throw new WorldStateError('BAD_BLOCK_NUMBER', 'bad block number');
    this.history.push(clone(fork.trees));
  }

  prepareBlock(block: L2Block, l1ToL2Messages: readonly Fr[]): MemoryFork {
    const fork = this.fork();
    fork.appendL1ToL2Messages(l1ToL2Messages);
    for (const e of block.body) {
      fork.appendNoteHashes(e.noteHashes);
      fork.insertNullifiers(e.nullifiers);
      for (const w of e.publicDataWrites) fork.writePublicData(w.leafSlot, w.value);
    }
    if (JSON.stringify(fork.getStateReference(), big) !== JSON.stringify(block.header.state, big)) {
      throw new WorldStateError('BLOCK_MISMATCH', 'state reference differs from the header');
    }
    fork.appendArchive(block.header);
    if (fork.getArchiveSnapshot().root !== block.archive.root) {
      throw new WorldStateError('BLOCK_MISMATCH', 'archive differs from the block');
    }
    return fork;
  }

  /** Test convenience: `prepareBlock` then commit. */
  applyBlock(block: L2Block, l1ToL2Messages: readonly Fr[]): void {
    this.prepareBlock(block, l1ToL2Messages).commitSync(block.header.globalVariables.blockNumber);
  }

  unwindTo(blockNumber: bigint): void {
    this.history.length = Math.min(this.history.length, Number(blockNumber) + 1);
  }

  private at(blockNumber?: bigint): Trees {
    const t = this.history[Number(blockNumber ?? this.getBlockNumber())];
    if (!t) throw new WorldStateError('BLOCK_NOT_AVAILABLE', `block ${blockNumber} is not available`);
    return t;
  }

  private tree(id: TreeId, blockNumber?: bigint): SparseTree {
    const t = this.at(blockNumber)[id];
    return t instanceof SparseTree ? t : t.tree;
  }

  getRoot(tree: TreeId, blockNumber?: bigint): Fr {
    return this.tree(tree, blockNumber).root();
  }

  getSiblingPath(tree: TreeId, leafIndex: bigint, blockNumber?: bigint): Buffer[] {
    return this.tree(tree, blockNumber).siblingPath(leafIndex);
  }

  findLeafIndex(tree: 'archive' | 'noteHash' | 'l1ToL2Message', leaf: Fr, blockNumber?: bigint): bigint | undefined {
    const t = this.tree(tree, blockNumber);
    for (let i = 0n; i < t.size; i++) if (t.leaf(i) === leaf) return i;
    return undefined;
  }

  getLeaf(tree: TreeId, index: bigint, blockNumber?: bigint): Fr {
    return this.tree(tree, blockNumber).leaf(index);
  }

  private witness(t: IndexedTreeRef, i: number): IndexedLeafWitness {
    const l: IndexedLeaf = t.leaves[i]!;
    return { index: BigInt(i), siblingPath: t.tree.siblingPath(BigInt(i)), leaf: { ...l } };
  }

  getNullifierWitness(nullifier: Fr, blockNumber?: bigint): IndexedLeafWitness | undefined {
    const t = this.at(blockNumber).nullifier;
    const i = t.find(nullifier);
    return i === undefined ? undefined : this.witness(t, i);
  }

  getNullifierLowLeafWitness(nullifier: Fr, blockNumber?: bigint): IndexedLeafWitness {
    const t = this.at(blockNumber).nullifier;
    return this.witness(t, t.lowIndex(nullifier));
  }

  getPublicDataWitness(slot: Fr, blockNumber?: bigint): IndexedLeafWitness {
    const t = this.at(blockNumber).publicData;
    return this.witness(t, t.lowIndex(slot));
  }

  getPublicStorageAt(slot: Fr, blockNumber?: bigint): Fr {
    const t = this.at(blockNumber).publicData;
    const i = t.find(slot);
    return (i === undefined ? 0n : t.leaves[i]!.value) as Fr;
  }
}

function big(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
