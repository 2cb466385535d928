import { privateKeyToAddress } from 'viem/accounts';

import { NodeError } from '../foundation/errors/index.js';
import type { MetricsRegistry } from '../foundation/metrics/index.js';
import { createL1WalletClient } from '../l1/clients.js';
import type { L1Clock } from '../l1/l1-clock.js';
import { L1TxSender } from '../l1/tx-sender.js';
import { proverMetrics } from '../prover/metrics.js';
import { ProverNode, type ProverChainReader } from '../prover/prover-node.js';
import type { WorldState } from '../world-state/types.js';
import type { AztecConfig } from './config.js';
import type { L1Connection } from './l1-connection.js';

/**
 * Builds the prover node (not started): it publishes proofs from PROVER_PUBLISHER_PRIVATE_KEY's account; its prover
 * id defaults to that account's address.
 */
export function createProverNode(d: {
  config: AztecConfig;
  l1: L1Connection;
  clock: L1Clock;
  chain: ProverChainReader;
  worldState: WorldState;
  metrics: MetricsRegistry;
}): ProverNode {
  const key = d.config.prover.publisherPrivateKey;
  if (!key) {
    throw new NodeError(
      'MISSING_PROVER_KEY',
      '--prover-node needs --prover.publisherPrivateKey (PROVER_PUBLISHER_PRIVATE_KEY)',
    );
  }
  const sender = new L1TxSender(d.l1.publicClient, createL1WalletClient(d.l1.clientOpts, key), {
    pollingIntervalMs: 500,
    stallTimeMs: 24_000,
    maxReplacements: 3,
    clock: d.clock,
  });
  const proverId = d.config.prover.proverId ?? `0x${privateKeyToAddress(key).slice(2).padStart(64, '0')}`;
  return new ProverNode({
    rollup: d.l1.rollup,
    clock: d.clock,
    constants: d.l1.constants,
    chain: d.chain,
    worldState: d.worldState,
    sender,
    proverId,
    pollingIntervalMs: Math.max(1000, Number(d.l1.constants.slotDuration) * 250),
    metrics: proverMetrics(d.metrics),
  });
}
