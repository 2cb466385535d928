import { privateKeyToAddress } from 'viem/accounts';

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
import type { BuildBlockFn } from '../sequencer/deps.js';
import { sequencerMetrics } from '../sequencer/metrics.js';
import { Publisher } from '../sequencer/publisher.js';
import { Sequencer } from '../sequencer/sequencer.js';
import { SlotGuard } from '../sequencer/slot-guard.js';
import { makeTimetable } from '../sequencer/timetable.js';
import type { TxPool } from '../tx-pool/index.js';
import { l2AddressFromPrivateKey } from '../types/keys.js';
import { P2PAttestationSource } from '../validator/attestation-source.js';
import { LocalAttestations } from '../validator/local-attestations.js';
import { ProtectedSigner, type SlashingProtection } from '../validator/slashing-protection.js';
import type { ValidatorClient } from '../validator/validator-client.js';
import type { WorldState } from '../world-state/types.js';
import type { BaseFeeSource } from '../protocol/fees/index.js';
import type { AztecConfig } from './config.js';
import type { L1Connection } from './l1-connection.js';

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
  /** The node's slashing protection history; the attestations signed without P2P go through it too. */
  protection: SlashingProtection;
  /** The node's metrics registry (proposal → quorum latency, slots given up without a quorum). */
  metrics: MetricsRegistry;
}

/**
 * Builds the sequencer (not started): the validator key (VALIDATOR_PRIVATE_KEY) attests, the publisher key
 * (SEQ_PUBLISHER_PRIVATE_KEY, else the validator key) sends the blocks; COINBASE defaults to the validator's L1
 * address and FEE_RECIPIENT to its L2 address.
 */
export function createSequencer(d: SequencerFactoryDeps): { sequencer: Sequencer; publisher: Publisher } {
  const { config, l1 } = d;
  const { addresses, constants } = l1;
  const validatorKey = config.validator.validatorPrivateKey;
  if (!validatorKey) {
    throw new NodeError(
      'MISSING_VALIDATOR_KEY',
      '--sequencer needs --sequencer.validatorPrivateKey (VALIDATOR_PRIVATE_KEY): the key that signs blocks and attestations',
    );
  }
  const attester = privateKeyToAddress(validatorKey);
  // The KZG trusted setup takes seconds to load: loaded now, at start, rather than in the first slot we build in.
  getKzg();
  const publisherKey = config.sequencer.publisherPrivateKey ?? validatorKey;
  const l1BlockTime = config.l1.ethereumSlotDuration;
  const sender = new L1TxSender(l1.publicClient, createL1WalletClient(l1.clientOpts, publisherKey), {
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
  const feeRecipient = config.sequencer.feeRecipient ?? l2AddressFromPrivateKey(validatorKey);
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
      coinbase: config.sequencer.coinbase ?? attester,
      feeRecipient: BigInt(feeRecipient),
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
        : new LocalAttestations(new ProtectedSigner(validatorKey, d.protection), {
            l1ChainId: config.l1.l1ChainId,
            rollup: addresses.rollup,
          }),
      publisher,
      attester,
      baseFees: ts => d.baseFees.at(ts),
      metrics: sequencerMetrics(d.metrics),
    },
  );
  return { sequencer, publisher };
}
