import type { Hex } from 'viem';

import type { ArchiverStore } from '../archiver/store.js';
import { NodeError } from '../foundation/errors/index.js';
import type { MetricsRegistry } from '../foundation/metrics/index.js';
import type { KvStore } from '../kv/index.js';
import { getKzg } from '../l1/blobs/index.js';
import { createL1WalletClient } from '../l1/clients.js';
import { GovernanceProposerContract } from '../l1/contracts/index.js';
import type { L1Clock } from '../l1/l1-clock.js';
import { L1TxSender } from '../l1/tx-sender.js';
import { buildBlock } from '../protocol/block/index.js';
import type { EpochCache } from '../protocol/epoch/epoch-cache.js';
import type { BuildBlockFn, SequencerValidator } from '../sequencer/deps.js';
import { sequencerMetrics } from '../sequencer/metrics.js';
import { PublisherFunds } from '../sequencer/publisher-funds.js';
import { Publisher } from '../sequencer/publisher.js';
import { Sequencer } from '../sequencer/sequencer.js';
import { SlotGuard } from '../sequencer/slot-guard.js';
import { makeTimetable } from '../sequencer/timetable.js';
import type { TxPool } from '../tx-pool/index.js';
import { P2PAttestationSource } from '../validator/attestation-source.js';
import { LocalAttestations } from '../validator/local-attestations.js';
import type { ProtectedSigner } from '../validator/slashing-protection.js';
import type { ValidatorClient } from '../validator/validator-client.js';
import type { WorldState } from '../world-state/types.js';
import type { BaseFeeSource } from '../protocol/fees/index.js';
import type { AztecConfig } from './config.js';
import type { L1Connection } from './l1-connection.js';
import type { NodeValidator } from './validator-keys.js';

/** What the sequencer is built from. */
export interface SequencerFactoryDeps {
  config: AztecConfig;
  l1: L1Connection;
  clock: L1Clock;
  store: KvStore;
  worldState: WorldState;
  chain: ArchiverStore;
  txPool: TxPool;
  epochCache: EpochCache;
  baseFees: BaseFeeSource;
  /** With P2P: attestations come from the committee over gossip; without, only this node's own. */
  validatorClient: ValidatorClient | undefined;
  /**
   * The node's attester keys behind its slashing protection (and HA claims), one per validator, in `validators`
   * order: the attestations signed without P2P go through them.
   */
  signers: readonly ProtectedSigner[];
  /** The node's validators, their keys resolved (`resolveNodeValidators`). */
  validators: readonly NodeValidator[];
  /** The node's metrics registry (proposal → quorum latency, slots given up without a quorum). */
  metrics: MetricsRegistry;
}

/**
 * Builds the sequencer (not started) for the node's validators (the keystore's, or VALIDATOR_PRIVATE_KEY's with
 * SEQ_PUBLISHER_PRIVATE_KEY): one publisher per publisher key, the first with enough ETH sending a validator's block.
 */
export function createSequencer(d: SequencerFactoryDeps): { sequencer: Sequencer; publishers: Publisher[] } {
  const { config, l1 } = d;
  const { addresses, constants } = l1;
  if (d.validators.length === 0) {
    throw new NodeError(
      'MISSING_VALIDATOR_KEY',
      '--sequencer needs --sequencer.validatorPrivateKey (VALIDATOR_PRIVATE_KEY) or --keystore (KEY_STORE_DIRECTORY): ' +
        'the keys that sign blocks and attestations',
    );
  }
  // The KZG trusted setup takes seconds to load: loaded now, at start, rather than in the first slot we build in.
  getKzg();
  const l1BlockTime = config.l1.ethereumSlotDuration;
  const publishers = new Map<Hex, Publisher>();
  const publisherOf = (key: Hex): Publisher => {
    const known = publishers.get(key);
    if (known) return known;
    const sender = new L1TxSender(l1.publicClient, createL1WalletClient(l1.clientOpts, key), {
      pollingIntervalMs: config.sequencer.viemPollingIntervalMs,
      // Replacing a tx before one L1 block has passed only churns the mempool.
      stallTimeMs: Math.max(config.sequencer.publishRetryIntervalMs, l1BlockTime * 1000),
      maxReplacements: 3,
      clock: d.clock,
    });
    const publisher = new Publisher(
      {
        rollup: l1.rollup,
        governanceProposer: new GovernanceProposerContract(l1.publicClient, addresses.governanceProposer),
        sender,
        guard: new SlotGuard(d.store),
      },
      { governancePayload: config.sequencer.governanceProposerPayload },
    );
    publishers.set(key, publisher);
    return publisher;
  };
  const validators: SequencerValidator[] = d.validators.map(v => ({
    attester: v.attester,
    coinbase: v.coinbase,
    feeRecipient: BigInt(v.feeRecipient),
    publishers: v.publisherPrivateKeys.map(publisherOf),
  }));
  const funds = new PublisherFunds(l1.publicClient, config.sequencer.publisherMinBalance, { metrics: d.metrics });
  const signers = d.signers;
  const build: BuildBlockFn = args =>
    buildBlock({
      fork: args.fork,
      txs: args.txs,
      globals: args.globals,
      l1ToL2Messages: args.l1ToL2Messages,
      l1ChainId: BigInt(config.l1.l1ChainId),
      feeJuicePortal: addresses.feeJuicePortal,
      maxTxsPerBlock: args.maxTxs,
      shouldStop: args.shouldStop,
    });
  const sequencer = new Sequencer(
    {
      enforceTimeTable: config.sequencer.enforceTimeTable,
      minTxsPerBlock: config.sequencer.minTxsPerBlock,
      maxTxsPerBlock: config.sequencer.maxTxsPerBlock,
      pollingIntervalMs: Math.min(1000, l1BlockTime * 250),
      timetable: makeTimetable({ slotDuration: Number(constants.slotDuration), l1BlockTime }),
    },
    {
      rollup: l1.rollup,
      clock: d.clock,
      l1ChainId: config.l1.l1ChainId,
      rollupVersion: constants.version,
      constants,
      l1BlockTime,
      epochCache: d.epochCache,
      worldState: d.worldState,
      blocks: d.chain,
      txs: d.txPool,
      buildBlock: build,
      attestations: d.validatorClient
        ? new P2PAttestationSource(d.validatorClient, { metrics: d.metrics })
        : new LocalAttestations(signers, {
            l1ChainId: config.l1.l1ChainId,
            rollup: addresses.rollup,
          }),
      validators,
      pickPublisher: funds.pick,
      baseFees: ts => d.baseFees.at(ts),
      metrics: sequencerMetrics(d.metrics),
    },
  );
  return { sequencer, publishers: [...publishers.values()] };
}
