import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { NodeError, errorMessage } from '../../../foundation/errors/index.js';
import { addressPresetValues } from '../../../l1/config.js';
import { NetworkConfigSchema, type NetworkConfig } from '../../../node/network-config.js';
import { configCommand, type CommandSpec } from '../../command-config.js';

const mappings = defineConfigMappings({
  nodeUrl: {
    flag: '--node-url',
    parse: p.url(),
    default: 'http://127.0.0.1:8080',
    description: 'URL of a running node (or bootnode) of the network.',
  },
  name: {
    flag: '--name',
    parse: p.text('<name>', 'my-network'),
    default: 'my-network',
    description: 'Name of the preset (the file is usually saved as networks/<name>.json).',
  },
});

const spec: CommandSpec<typeof mappings> = {
  name: 'network-config',
  title: 'Network',
  summary:
    'Prints the network preset (JSON) of the network a running node is on: L1 chain id, contract addresses and ' +
    'bootstrap ENRs. Publish it, and nodes join with --network <file or URL>.',
  mappings,
};

/** A node's `/network-config` as a preset file that `--network` accepts. */
export function presetFromNetworkConfig(name: string, n: NetworkConfig): Record<string, unknown> {
  return {
    name,
    description: `Network of rollup ${n.l1ContractAddresses.rollup} on L1 chain ${n.l1ChainId}`,
    values: {
      L1_CHAIN_ID: String(n.l1ChainId),
      ...addressPresetValues(n.l1ContractAddresses),
      // An empty preset value means "required, not known yet": leave it out when there are no bootnodes.
      ...(n.bootstrapNodes.length > 0 ? { BOOTSTRAP_NODES: n.bootstrapNodes.join(',') } : {}),
    },
  };
}

/** `aztec network-config --node-url <url>`. */
export const networkConfigCommand = configCommand(spec, async ({ own }, ctx) => {
  const url = `${own.nodeUrl.replace(/\/+$/, '')}/network-config`;
  let body: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).trim()}`);
    body = await res.json();
  } catch (err) {
    throw new NodeError('NETWORK_CONFIG', `Could not read ${url} (--node-url): ${errorMessage(err)}`);
  }
  const parsed = NetworkConfigSchema.safeParse(body);
  if (!parsed.success) throw new NodeError('NETWORK_CONFIG', `${url} did not answer a network config`);
  ctx.stdout(JSON.stringify(presetFromNetworkConfig(own.name, parsed.data), null, 2) + '\n');
});
