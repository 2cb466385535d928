import { resolveAztecConfig } from '../../src/cli/commands/start/parse.js';
import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { nodeApiSchema } from '../../src/node/api/schema.js';
import { startAztecNode, type RunningNode } from '../../src/node/aztec-node.js';
import { until } from './in-process-network.js';
import type { TestL1 } from './l1.js';

/**
 * Starts a node (`--node --archiver`, no sequencer) on a test L1 with its own free ports and `dataDirectory`;
 * `env` holds settings as environment variables (SYNC_MODE, ...).
 */
export async function startSyncNode(
  l1: TestL1,
  dataDirectory: string,
  env: Record<string, string> = {},
): Promise<RunningNode> {
  const flags = {
    '--l1-rpc-urls': l1.anvil.url,
    '--port': String(await getFreePort()),
    '--admin-port': String(await getFreePort()),
    '--host': '127.0.0.1',
    '--data-directory': dataDirectory,
    '--archiver.pollingIntervalMs': '200',
  };
  const { config } = resolveAztecConfig({ flags, env }, { defaultNetwork: 'local' });
  return startAztecNode(
    { ...config, l1: { ...config.l1, rollupAddress: l1.deployment.addresses.rollup } },
    { node: true, archiver: true, sequencer: false, proverNode: false },
    { l1Addresses: l1.deployment.addresses },
  );
}

/** Waits until the node's latest block is at least `n`. */
export function nodeAtBlock(node: RunningNode, n: number | bigint, timeoutMs = 240_000): Promise<void> {
  const client = createRpcClient(node.rpcUrl, 'node', nodeApiSchema);
  return until(`block ${n} on ${node.rpcUrl}`, async () => (await client.getL2Tips()).latest.number >= n, timeoutMs);
}
