import { zeroAddress } from 'viem';

import type { MetricsRegistry } from '../foundation/metrics/index.js';
import { SlasherContract } from '../l1/contracts/index.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import { SlasherClient, type SlasherClientDeps } from '../slasher/index.js';
import type { AztecConfig } from './config.js';
import type { L1Connection } from './l1-connection.js';
import type { NodeValidator } from './validator-keys.js';

/** What the slasher is built from. */
export interface SlasherFactoryDeps {
  config: AztecConfig;
  l1: L1Connection;
  /** The node's validators: never reported; a slash of one of them is a warning. */
  validators: readonly NodeValidator[];
  /** The sequencer's sender of the first validator's first publisher key; none: nothing is reported. */
  sender: L1TxSender | undefined;
  metrics: MetricsRegistry;
  /** Tests: outcomes of reports and slashes seen. */
  hooks?: Pick<SlasherClientDeps, 'onReported' | 'onSlashed'>;
}

/** The node's slasher (not started); none when the rollup has no Slasher. */
export function createSlasher(d: SlasherFactoryDeps): SlasherClient | undefined {
  const address = d.l1.addresses.slasher;
  if (address === zeroAddress) return undefined;
  return new SlasherClient(d.config.slasher, {
    l1: d.l1.publicClient,
    slasher: new SlasherContract(d.l1.publicClient, address),
    sender: d.sender,
    ownAttesters: d.validators.map(v => v.attester),
    metrics: d.metrics,
    pollingIntervalMs: Math.max(250, (d.config.l1.ethereumSlotDuration * 1000) / 2),
    // Up to three L1 blocks: usually one honest node's report lands before the others send theirs.
    maxJitterMs: 3 * d.config.l1.ethereumSlotDuration * 1000,
    ...d.hooks,
  });
}
