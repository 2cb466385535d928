import type { Address } from 'viem';
import type { Registry } from 'prom-client';

import type { Archiver } from '../archiver/archiver.js';
import type { KvStore } from '../kv/index.js';
import type { L1Clock } from '../l1/l1-clock.js';
import type { EpochCache } from '../protocol/epoch/epoch-cache.js';
import { Sentinel, SentinelStats, SentinelStore, sentinelMetrics } from '../sentinel/index.js';
import type { RollupConstants } from '../l1/contracts/index.js';
import type { ValidatorClient } from '../validator/validator-client.js';
import type { AztecConfig } from './config.js';
import type { Lifecycle } from './lifecycle.js';

/** What the sentinel is built from in the composition root. */
export interface SentinelFactoryDeps {
  config: AztecConfig;
  life: Lifecycle;
  store: KvStore;
  archiver: Archiver;
  epochCache: EpochCache;
  constants: RollupConstants;
  /** The Rollup's address: attestations are signed over digests that include it. */
  rollup: Address;
  clock: L1Clock;
  /** With P2P: the proposals and attestations seen on gossip. */
  validatorClient: ValidatorClient | undefined;
  /** This node's attesters (their misses are counted on /metrics). */
  validators: readonly { attester: Address }[];
  metrics: Registry;
}

/**
 * Starts the sentinel (SENTINEL_ENABLED) on the node's store and registers it for teardown; returns the stats the
 * API serves. History: SENTINEL_HISTORY_LENGTH_IN_EPOCHS epochs of slots.
 */
export function startSentinel(d: SentinelFactoryDeps): SentinelStats {
  const { config, constants } = d;
  const store = new SentinelStore(d.store, d.config.sentinel.historyLengthInEpochs * Number(constants.epochDuration));
  const client = d.validatorClient;
  const sentinel = d.life.add(
    'sentinel',
    new Sentinel(
      {
        store,
        chain: d.archiver.store,
        epochs: d.epochCache,
        constants,
        clock: d.clock,
        archiverSyncedL1: () => d.archiver.syncStatus().l1BlockNumber,
        gossip: client && {
          proposersAt: slot => client.proposals.proposersAt(slot),
          attestersAt: slot => client.pool.attestersAt(slot),
        },
        l1ChainId: config.l1.l1ChainId,
        rollup: d.rollup,
        ownValidators: d.validators.map(v => v.attester),
        metrics: sentinelMetrics(d.metrics),
      },
      { intervalMs: Math.max(250, (config.l1.ethereumSlotDuration * 1000) / 4) },
    ),
    s => s.stop(),
  );
  sentinel.start();
  return new SentinelStats(store, constants);
}
