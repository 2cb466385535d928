import { NodeError } from '../../foundation/errors/index.js';
import type { KvMap, KvStore } from '../../kv/index.js';
import type { Fr } from '../../types/fr.js';
import type { L2Block } from '../../types/l2-block.js';
import type { WorldState, WorldStateFork } from '../../world-state/types.js';

/** One `prepareBlock` call that was committed. */
export interface RecordedBlock {
  blockNumber: bigint;
  messages: readonly Fr[];
}

/** Options of `RecordingWorldState`. */
export interface RecordingWorldStateOptions {
  /** Persist the block number here (joining the caller's transaction), so a restart sees it. */
  kv?: KvStore;
  /** Return a reason to reject a block with `BLOCK_MISMATCH`, as the real world state would. */
  reject?: (block: L2Block) => string | undefined;
}

function notImplemented(what: string): never {
  throw new NodeError('NOT_IMPLEMENTED', `RecordingWorldState does not implement ${what}`);
}

/**
 * A stand-in `WorldState` for archiver tests: accepts any block that follows its tip (unless `reject` says no),
 * records what it was given and supports unwinds. It has no trees: the queries throw `NOT_IMPLEMENTED`.
 */
export class RecordingWorldState implements WorldState {
  /** Committed blocks, in order of commit (unwinds do not remove entries). */
  readonly committed: RecordedBlock[] = [];
  /** Arguments of every `unwindTo` call. */
  readonly unwinds: bigint[] = [];
  private readonly map: KvMap<string, number> | undefined;
  private memoryTip = 0n;

  constructor(private readonly opts: RecordingWorldStateOptions = {}) {
    this.map = opts.kv?.openMap<number, string>('recording_world_state');
  }

  getBlockNumber(): bigint {
    return this.map ? BigInt(this.map.get('tip') ?? 0) : this.memoryTip;
  }

  private setTip(n: bigint): void {
    if (this.map && this.opts.kv) this.opts.kv.transactionSync(() => this.map!.set('tip', Number(n)));
    else this.memoryTip = n;
  }

  fork(): WorldStateFork {
    return this.makeFork(undefined, []);
  }

  prepareBlock(block: L2Block, l1ToL2Messages: readonly Fr[]): WorldStateFork {
    const n = block.header.globalVariables.blockNumber;
    const tip = this.getBlockNumber();
    if (n !== tip + 1n) throw new NodeError('BLOCK_MISMATCH', `block ${n} does not follow block ${tip}`);
    const reason = this.opts.reject?.(block);
    if (reason !== undefined) throw new NodeError('BLOCK_MISMATCH', `block ${n}: ${reason}`);
    return this.makeFork(n, l1ToL2Messages);
  }

  unwindTo(blockNumber: bigint): void {
    this.unwinds.push(blockNumber);
    if (blockNumber < this.getBlockNumber()) this.setTip(blockNumber);
  }

  private makeFork(blockNumber: bigint | undefined, messages: readonly Fr[]): WorldStateFork {
    const base = this.getBlockNumber();
    let done = false;
    return {
      baseBlockNumber: base,
      commitSync: (n: bigint) => {
        if (done || blockNumber === undefined || n !== blockNumber) notImplemented('committing this fork');
        done = true;
        this.setTip(n);
        this.committed.push({ blockNumber: n, messages: [...messages] });
      },
      discard: () => {
        done = true;
      },
      appendL1ToL2Messages: () => notImplemented('appendL1ToL2Messages'),
      appendNoteHashes: () => notImplemented('appendNoteHashes'),
      insertNullifiers: () => notImplemented('insertNullifiers'),
      hasNullifier: () => notImplemented('hasNullifier'),
      readPublicData: () => notImplemented('readPublicData'),
      writePublicData: () => notImplemented('writePublicData'),
      getL1ToL2MessageLeaf: () => notImplemented('getL1ToL2MessageLeaf'),
      getStateReference: () => notImplemented('getStateReference'),
      getArchiveSnapshot: () => notImplemented('getArchiveSnapshot'),
      appendArchive: () => notImplemented('appendArchive'),
    };
  }

  getRoot(): Fr {
    return notImplemented('getRoot');
  }
  getSiblingPath(): Buffer[] {
    return notImplemented('getSiblingPath');
  }
  findLeafIndex(): bigint | undefined {
    return notImplemented('findLeafIndex');
  }
  getLeaf(): Fr {
    return notImplemented('getLeaf');
  }
  getNullifierWitness(): never {
    return notImplemented('getNullifierWitness');
  }
  getNullifierLowLeafWitness(): never {
    return notImplemented('getNullifierLowLeafWitness');
  }
  getPublicDataWitness(): never {
    return notImplemented('getPublicDataWitness');
  }
  getPublicStorageAt(): Fr {
    return notImplemented('getPublicStorageAt');
  }
}
