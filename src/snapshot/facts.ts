import { ArchiverStore } from '../archiver/store.js';
import type { KvStore } from '../kv/index.js';
import { frToHex } from '../types/fr.js';
import { createWorldState, type LmdbWorldState } from '../world-state/index.js';
import type { SnapshotIndex } from './format.js';

/** What a node store holds at its tip, as an index states it. */
export type StoreFacts = Pick<SnapshotIndex, 'blockNumber' | 'archiveRoot' | 'stateRoots'> & {
  /** The world state's tip (equal to `blockNumber` in a consistent store). */
  worldStateBlockNumber: number;
};

/** Opens the archiver store and world state of a node store (for reading: the trees exist once a node has run). */
export function openChain(store: KvStore): { archiver: ArchiverStore; worldState: LmdbWorldState } {
  // blockHistory only bounds what later writes keep; reads see every version stored.
  return { archiver: new ArchiverStore(store), worldState: createWorldState({ store, blockHistory: 1_000_000 }) };
}

/** The archiver's tip with the world state's roots as of it. */
export function storeFacts(store: KvStore): StoreFacts {
  const { archiver, worldState } = openChain(store);
  const n = archiver.getLatestBlockNumber();
  const ws = worldState.getBlockNumber();
  const at = ws < n ? ws : n;
  return {
    blockNumber: Number(n),
    worldStateBlockNumber: Number(ws),
    archiveRoot: frToHex(worldState.getRoot('archive', at)),
    stateRoots: {
      noteHash: frToHex(worldState.getRoot('noteHash', at)),
      nullifier: frToHex(worldState.getRoot('nullifier', at)),
      publicData: frToHex(worldState.getRoot('publicData', at)),
      l1ToL2Message: frToHex(worldState.getRoot('l1ToL2Message', at)),
    },
  };
}
