import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import type { KvStore } from '../kv/index.js';
import { BeaconClient } from '../l1/beacon/index.js';
import { createL1PublicClient, type L1PublicClient } from '../l1/clients.js';
import type { WorldState } from '../world-state/types.js';
import { Archiver } from './archiver.js';
import type { BlobSource } from './block-retriever.js';
import type { ArchiverConfig } from './config.js';
import { ArchiverStore } from './store.js';

/** The node settings the archiver uses: its own plus the L1 ones (ETHEREUM_HOSTS, L1_CONSENSUS_HOST_URLS, …). */
export interface ArchiverNodeConfig extends ArchiverConfig {
  l1RpcUrls: readonly string[];
  l1ChainId: number;
  rollupAddress: Address;
  inboxAddress?: Address;
  l1ConsensusHostUrls?: readonly string[];
  l1ConsensusHostApiKeys?: readonly string[];
  l1ConsensusHostApiKeyHeaders?: readonly string[];
}

/** What the composition root hands over; clients are made from the config when not given. */
export interface CreateArchiverDeps {
  /** The node's KV store; the world state should use the same one, so a block commits atomically with it. */
  kvStore: KvStore;
  worldState: WorldState;
  publicClient?: L1PublicClient;
  blobSource?: BlobSource;
  logger?: Logger;
}

/**
 * Builds an archiver from the node config: an L1 client over every ETHEREUM_HOSTS URL (failover, with viem's
 * backoff on 429), a beacon client over L1_CONSENSUS_HOST_URLS — or, when none is given, over the execution URLs,
 * which works with anvil (it serves the beacon blobs endpoint) — and the archiver's maps in `kvStore`.
 */
export function createArchiver(config: ArchiverNodeConfig, deps: CreateArchiverDeps): Archiver {
  const log = deps.logger ?? createLogger('archiver');
  const publicClient =
    deps.publicClient ??
    createL1PublicClient({
      rpcUrls: config.l1RpcUrls,
      chainId: config.l1ChainId,
      pollingIntervalMs: config.pollingIntervalMs,
    });
  let blobSource = deps.blobSource;
  if (!blobSource) {
    const consensus = config.l1ConsensusHostUrls ?? [];
    if (consensus.length === 0) {
      log.warn('No L1 consensus host URL given; fetching blobs from the L1 RPC URLs (works with anvil only)');
    }
    blobSource = BeaconClient.fromConfig(
      {
        l1ConsensusHostUrls: consensus.length > 0 ? consensus : config.l1RpcUrls,
        ...(config.l1ConsensusHostApiKeys ? { l1ConsensusHostApiKeys: config.l1ConsensusHostApiKeys } : {}),
        ...(config.l1ConsensusHostApiKeyHeaders
          ? { l1ConsensusHostApiKeyHeaders: config.l1ConsensusHostApiKeyHeaders }
          : {}),
      },
      { logger: log.child('beacon') },
    );
  }
  return new Archiver(
    {
      rollupAddress: config.rollupAddress,
      ...(config.inboxAddress ? { inboxAddress: config.inboxAddress } : {}),
      pollingIntervalMs: config.pollingIntervalMs,
      batchSize: config.batchSize,
    },
    { publicClient, blobSource, store: new ArchiverStore(deps.kvStore), worldState: deps.worldState, logger: log },
  );
}
