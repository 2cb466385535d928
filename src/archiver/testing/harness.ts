import { setTimeout as sleep } from 'node:timers/promises';

import type { Address, Hex } from 'viem';

import { openKvStore, type KvStore } from '../../kv/index.js';
import { BeaconClient, type BlobBlockId } from '../../l1/beacon/index.js';
import { BlobVerifier } from '../../l1/blobs/index.js';
import type { L1PublicClient } from '../../l1/clients.js';
import type { L2Block } from '../../types/l2-block.js';
import type { WorldState } from '../../world-state/types.js';
import { Archiver } from '../archiver.js';
import type { BlobSource } from '../block-retriever.js';
import { ArchiverStore } from '../store.js';
import type { ArchiverEvent } from '../types.js';
import { RecordingWorldState } from './recording-world-state.js';

/** How to build an archiver for a test. */
export interface ArchiverHarnessOptions {
  publicClient: L1PublicClient;
  /** Beacon API base URL (anvil serves it on its RPC URL). */
  beaconUrl: string;
  rollupAddress: Address;
  /** Keep the store here (to reopen it); a temporary directory otherwise. */
  dataDirectory?: string;
  batchSize?: number;
  pollingIntervalMs?: number;
  reject?: (block: L2Block) => string | undefined;
  /** Wait this long before each blob download (to slow a sync down). */
  blobDelayMs?: number;
  /** Worker threads of the blob verifier shared by the beacon client and the archiver (default 2; 0: inline). */
  blobVerifyThreads?: number;
  /** The world state the archiver applies blocks to (default a `RecordingWorldState` on the harness's store). */
  worldState?: (kv: KvStore) => WorldState;
}

/** An archiver over a recording world state, counting blob downloads and collecting events. */
export interface ArchiverHarness {
  archiver: Archiver;
  store: ArchiverStore;
  worldState: RecordingWorldState;
  /** What the archiver applies blocks to: `worldState`, or the one `opts.worldState` built. */
  appliedTo: WorldState;
  blobVerifier: BlobVerifier;
  kv: KvStore;
  /** Every `getBlobs` call, in order. */
  blobRequests: { block: BlobBlockId; hashes: readonly Hex[] }[];
  events: ArchiverEvent[];
  /** Stops the archiver and closes the store. */
  close(): Promise<void>;
}

/** Builds an archiver with its store and a world state sharing one KV store (not started; its blob verifier is). */
export async function createArchiverHarness(opts: ArchiverHarnessOptions): Promise<ArchiverHarness> {
  const kv = await openKvStore({
    name: 'archiver-test',
    ...(opts.dataDirectory !== undefined ? { dataDirectory: opts.dataDirectory } : {}),
  });
  const worldState = new RecordingWorldState({ kv, ...(opts.reject ? { reject: opts.reject } : {}) });
  const appliedTo = opts.worldState?.(kv) ?? worldState;
  const blobVerifier = new BlobVerifier({ threads: opts.blobVerifyThreads ?? 2 });
  blobVerifier.start();
  const beacon = new BeaconClient([{ url: opts.beaconUrl }], { retries: 0, verifier: blobVerifier });
  const blobRequests: ArchiverHarness['blobRequests'] = [];
  const blobSource: BlobSource = {
    getBlobs: async (block, hashes) => {
      blobRequests.push({ block, hashes });
      if (opts.blobDelayMs) await sleep(opts.blobDelayMs);
      return beacon.getBlobs(block, hashes);
    },
  };
  const store = new ArchiverStore(kv);
  const archiver = new Archiver(
    {
      rollupAddress: opts.rollupAddress,
      pollingIntervalMs: opts.pollingIntervalMs ?? 50,
      batchSize: opts.batchSize ?? 10,
      maxBackoffMs: 500,
    },
    { publicClient: opts.publicClient, blobSource, blobVerifier, store, worldState: appliedTo },
  );
  const events: ArchiverEvent[] = [];
  archiver.subscribe(e => events.push(e));
  return {
    archiver,
    store,
    worldState,
    appliedTo,
    blobVerifier,
    kv,
    blobRequests,
    events,
    close: async () => {
      await archiver.stop();
      await blobVerifier.stop();
      await kv.close();
    },
  };
}
