import { createLogger, type Logger } from '../foundation/log/index.js';
import type { KvStore } from '../kv/index.js';
import { AppendOnlyTree, IndexedTree, nullifierLeafType, publicDataLeafType } from '../merkle/index.js';
import { FR_ZERO, frFromBuffer, frToBuffer, frToHex, type Fr } from '../types/fr.js';
import type { L2Block } from '../types/l2-block.js';
import { WorldStateError } from './errors.js';
import { LmdbWorldStateFork, type AppendTreeId, type WorldStateTrees } from './fork.js';
import { genesisHeaderHash } from './genesis.js';
import { LeafIndex } from './leaf-index.js';
import { checkBlock } from './prepare-block.js';
import {
  TREE_HEIGHTS,
  TREE_IDS,
  type IndexedLeafWitness,
  type TreeId,
  type WorldState,
  type WorldStateFork,
} from './types.js';

/** Options of `createWorldState`. */
export interface CreateWorldStateOptions {
  /** The node's KV store (shared with the archiver, so a block and its state commit in one transaction). */
  store: KvStore;
  /** How many recent blocks keep a snapshot for historical reads (tip included). The node config enforces >= 64. */
  blockHistory: number;
  logger?: Logger;
}

/** Map names of the trees in the store (`merkle:<name>`). */
const TREE_NAMES: Record<TreeId, string> = {
  archive: 'world-state.archive',
  noteHash: 'world-state.note-hash',
  nullifier: 'world-state.nullifier',
  publicData: 'world-state.public-data',
  l1ToL2Message: 'world-state.l1-to-l2-message',
};

/**
 * Opens the world state in `store`, creating the genesis state on first use (the trees of `genesis.ts`: archive
 * leaf 0 = the genesis header hash, indexed trees prefilled), and checking an existing one was built on it.
 */
export function createWorldState(options: CreateWorldStateOptions): LmdbWorldState {
  return new LmdbWorldState(options);
}

/** The committed world state over one `KvStore`: five versioned trees, one version per block. */
export class LmdbWorldState implements WorldState {
  private readonly trees: WorldStateTrees;
  private readonly log: Logger;
  readonly blockHistory: number;

  constructor(options: CreateWorldStateOptions) {
    const { store, blockHistory } = options;
    if (!Number.isInteger(blockHistory) || blockHistory < 1) {
      throw new WorldStateError('BAD_OPTION', `blockHistory must be a positive integer, got ${blockHistory}`);
    }
    this.blockHistory = blockHistory;
    this.log = options.logger ?? createLogger('world-state');
    const opts = (tree: TreeId) => ({ name: TREE_NAMES[tree], height: TREE_HEIGHTS[tree], history: blockHistory });
    const archive = new AppendOnlyTree(store, opts('archive'));
    const noteHash = new AppendOnlyTree(store, opts('noteHash'));
    const l1ToL2Message = new AppendOnlyTree(store, opts('l1ToL2Message'));
    this.trees = {
      store,
      archive,
      noteHash,
      l1ToL2Message,
      nullifier: new IndexedTree(store, { ...opts('nullifier'), leafType: nullifierLeafType }),
      publicData: new IndexedTree(store, { ...opts('publicData'), leafType: publicDataLeafType }),
      leafIndex: {
        archive: new LeafIndex(store, 'archive', archive),
        noteHash: new LeafIndex(store, 'note-hash', noteHash),
        l1ToL2Message: new LeafIndex(store, 'l1-to-l2-message', l1ToL2Message),
      },
    };
    this.initGenesis();
  }

  /** Latest block applied (0 = genesis). */
  getBlockNumber(): bigint {
    return this.trees.archive.latestVersion() ?? 0n;
  }

  /** Oldest block whose snapshot is still kept. */
  getOldestBlockNumber(): bigint {
    return this.trees.archive.oldestVersion() ?? 0n;
  }

  /** A fork of the latest committed state. */
  fork(): LmdbWorldStateFork {
    return new LmdbWorldStateFork(this.trees, this.getBlockNumber(), this.log);
  }

  /** Applies and checks a downloaded block on a fork (see `WorldState.prepareBlock`). */
  prepareBlock(block: L2Block, l1ToL2Messages: readonly Fr[]): WorldStateFork {
    const fork = this.fork();
    try {
      checkBlock(fork, block, l1ToL2Messages);
    } catch (err) {
      fork.discard();
      throw err;
    }
    this.log.debug('Prepared block', { blockNumber: block.header.globalVariables.blockNumber, txs: block.body.length });
    return fork;
  }

  /**
   * Rehashes every node the five trees store at every kept version (a store copied from elsewhere: a snapshot).
   * Throws `MerkleError` `MERKLE_CORRUPT` naming the tree and node; returns how many entries it checked.
   */
  checkIntegrity(): number {
    return TREE_IDS.reduce((sum, tree) => sum + this.trees[tree].checkIntegrity(), 0);
  }

  /** Removes every block above `blockNumber`, in one KV transaction (the caller's when there is one). */
  unwindTo(blockNumber: bigint): void {
    const tip = this.getBlockNumber();
    if (blockNumber >= tip) return;
    this.assertKept(blockNumber, 'unwind to');
    this.trees.store.transactionSync(() => {
      for (const tree of ['archive', 'noteHash', 'l1ToL2Message'] as const) {
        this.trees.leafIndex[tree].unwind(this.trees[tree].getSize(blockNumber));
      }
      for (const tree of TREE_IDS) this.trees[tree].unwindTo(blockNumber);
    });
    this.log.info('Unwound world state', { from: tip, to: blockNumber });
  }

  /** Root of `tree` as of `blockNumber` (default: latest). */
  getRoot(tree: TreeId, blockNumber?: bigint): Fr {
    return frFromBuffer(this.trees[tree].getRoot(this.version(blockNumber)));
  }

  /** Number of leaves (next index) of `tree` as of `blockNumber`. */
  getSize(tree: TreeId, blockNumber?: bigint): bigint {
    return this.trees[tree].getSize(this.version(blockNumber));
  }

  /** Sibling path of leaf `leafIndex` of `tree` as of `blockNumber`, leaf-level sibling first. */
  getSiblingPath(tree: TreeId, leafIndex: bigint, blockNumber?: bigint): Buffer[] {
    return this.trees[tree].getSiblingPath(leafIndex, this.version(blockNumber));
  }

  /** First index of a non-zero `leaf` in an append-only tree as of `blockNumber`. */
  findLeafIndex(tree: AppendTreeId, leaf: Fr, blockNumber?: bigint): bigint | undefined {
    const size = this.trees[tree].getSize(this.version(blockNumber));
    return this.trees.leafIndex[tree].find(frToBuffer(leaf), size);
  }

  /**
   * The leaf node at `index` as of `blockNumber` (0 beyond the size): for the indexed trees, the hash of the
   * leaf preimage, so that it verifies with `getSiblingPath`. Preimages come with the witness methods.
   */
  getLeaf(tree: TreeId, index: bigint, blockNumber?: bigint): Fr {
    const version = this.version(blockNumber);
    let leaf: Buffer | undefined;
    if (tree === 'nullifier') {
      const preimage = this.trees.nullifier.getLeaf(index, version);
      leaf = preimage && nullifierLeafType.hash(preimage);
    } else if (tree === 'publicData') {
      const preimage = this.trees.publicData.getLeaf(index, version);
      leaf = preimage && publicDataLeafType.hash(preimage);
    } else {
      leaf = this.trees[tree].getLeaf(index, version);
    }
    return leaf === undefined ? FR_ZERO : frFromBuffer(leaf);
  }

  /** Membership witness of `nullifier` as of `blockNumber`, `undefined` when absent. */
  getNullifierWitness(nullifier: Fr, blockNumber?: bigint): IndexedLeafWitness | undefined {
    const w = this.trees.nullifier.getMembershipWitness(nullifier, this.version(blockNumber));
    return w === undefined ? undefined : { index: w.index, siblingPath: w.siblingPath, leaf: { ...w.leaf } };
  }

  /** Low-leaf witness of `nullifier` as of `blockNumber` (a non-membership proof when it is absent). */
  getNullifierLowLeafWitness(nullifier: Fr, blockNumber?: bigint): IndexedLeafWitness {
    const w = this.trees.nullifier.getLowLeafWitness(nullifier, this.version(blockNumber));
    return { index: w.index, siblingPath: w.siblingPath, leaf: { ...w.leaf } };
  }

  /** The public data leaf of `slot` (or its low leaf when never written) with its path, as of `blockNumber`. */
  getPublicDataWitness(slot: Fr, blockNumber?: bigint): IndexedLeafWitness {
    const w = this.trees.publicData.getLowLeafWitness(slot, this.version(blockNumber));
    return { index: w.index, siblingPath: w.siblingPath, leaf: { ...w.leaf } };
  }

  /** Value of public data `slot` as of `blockNumber` (0 when never written). */
  getPublicStorageAt(slot: Fr, blockNumber?: bigint): Fr {
    const low = this.trees.publicData.findLowLeaf(slot, this.version(blockNumber));
    return (low.alreadyPresent ? low.leaf.value : 0n) as Fr;
  }

  // The tree version of a historical read, after checking the block is within the window.
  private version(blockNumber: bigint | undefined): bigint | undefined {
    if (blockNumber === undefined) return undefined;
    this.assertKept(blockNumber, 'read');
    return blockNumber;
  }

  private assertKept(blockNumber: bigint, what: string): void {
    const tip = this.getBlockNumber();
    const oldest = this.getOldestBlockNumber();
    if (blockNumber > tip) {
      const msg = `Cannot ${what} block ${blockNumber}: the world state is at block ${tip}`;
      throw new WorldStateError('BLOCK_NOT_AVAILABLE', msg, { blockNumber, tip, oldest });
    }
    if (blockNumber < oldest) {
      const msg = `Cannot ${what} block ${blockNumber}: the node keeps the last ${this.blockHistory} blocks (oldest available: ${oldest}, latest: ${tip})`;
      throw new WorldStateError('BLOCK_NOT_AVAILABLE', msg, { blockNumber, tip, oldest });
    }
  }

  // Version 0 of every tree: the genesis state. Indexed trees prefill themselves; the append-only ones are
  // committed here, in one transaction. An existing state must have the same genesis header at archive leaf 0.
  private initGenesis(): void {
    const { store, archive, noteHash, l1ToL2Message, leafIndex } = this.trees;
    const genesisLeaf = genesisHeaderHash();
    if (archive.latestVersion() === undefined) {
      store.transactionSync(() => {
        const fork = archive.fork();
        fork.appendLeaves([genesisLeaf]);
        fork.commit(0n);
        leafIndex.archive.add(0n, [genesisLeaf]);
        for (const tree of [noteHash, l1ToL2Message]) if (tree.latestVersion() === undefined) tree.fork().commit(0n);
      });
      this.log.info('Created the genesis world state', { archive: frToHex(frFromBuffer(archive.getRoot())) });
    }
    const leaf0 = archive.getLeaf(0n);
    if (leaf0 === undefined || !leaf0.equals(genesisLeaf)) {
      const msg = `The world state in ${store.path} was built on another genesis (archive leaf 0 differs); use a new data directory`;
      throw new WorldStateError('GENESIS_MISMATCH', msg, { path: store.path });
    }
    const tips = TREE_IDS.map(tree => this.trees[tree].latestVersion());
    if (new Set(tips).size !== 1) {
      const msg = `The world-state trees in ${store.path} are at different blocks (${tips.join(', ')}); the data directory is damaged`;
      throw new WorldStateError('CORRUPT', msg, { tips: tips.map(String) });
    }
  }
}
