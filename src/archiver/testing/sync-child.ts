/**
 * A process that runs an archiver over a recording world state until killed: the crash-safety test SIGKILLs it in the
 * middle of a sync. Settings come as JSON in `ARCHIVER_CHILD` ({ rpcUrl, chainId, rollup, dataDirectory, delayMs }).
 */
import { setTimeout as sleep } from 'node:timers/promises';

import type { Address } from 'viem';

import { configureLogging } from '../../foundation/log/index.js';
import { createL1PublicClient } from '../../l1/clients.js';
import { createArchiverHarness } from './harness.js';

interface ChildSettings {
  rpcUrl: string;
  chainId: number;
  rollup: Address;
  dataDirectory: string;
  /** Delay before each blob download, to make the sync slow enough to interrupt. */
  delayMs: number;
}

const settings = JSON.parse(process.env['ARCHIVER_CHILD'] ?? '{}') as ChildSettings;
configureLogging({ json: false, level: 'info', sink: line => process.stdout.write(line + '\n') });
const harness = await createArchiverHarness({
  publicClient: createL1PublicClient({ rpcUrls: [settings.rpcUrl], chainId: settings.chainId, pollingIntervalMs: 50 }),
  beaconUrl: settings.rpcUrl,
  rollupAddress: settings.rollup,
  dataDirectory: settings.dataDirectory,
  batchSize: 1,
  blobDelayMs: settings.delayMs,
});
await harness.archiver.start();
// Runs until killed.
for (;;) await sleep(60_000);
