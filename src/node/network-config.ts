import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import type { ConfigOrigin } from '../foundation/config/index.js';
import { NodeError, errorMessage } from '../foundation/errors/index.js';
import type { L1ContractAddresses } from '../l1/addresses.js';
import { ADDRESS_SETTINGS } from '../l1/addresses.js';
import { L1ContractAddressesSchema } from './api/schema.js';
import type { AztecConfig } from './config.js';

/** What a bootnode (or any node) publishes about its network at `GET /network-config`. */
export const NetworkConfigSchema = z.strictObject({
  l1ChainId: z.number().int().positive(),
  l1ContractAddresses: L1ContractAddressesSchema,
  bootstrapNodes: z.array(z.string().startsWith('enr:')),
});
export type NetworkConfig = z.output<typeof NetworkConfigSchema>;

/** The file in the data directory that keeps the last network config a bootnode gave. */
export const NETWORK_CONFIG_FILE = 'network-config.json';

export class BootnodeError extends NodeError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('BOOTNODE', message, context);
  }
}

/**
 * The network config from `BOOTNODE_URL` (`<url>/network-config`); kept in the data directory so a restart works
 * while the bootnode is down. Fails when neither the bootnode nor a saved copy answers.
 */
export async function fetchNetworkConfig(bootnodeUrl: string, dataDirectory?: string): Promise<NetworkConfig> {
  const url = `${bootnodeUrl.replace(/\/+$/, '')}/network-config`;
  const file = dataDirectory ? join(dataDirectory, NETWORK_CONFIG_FILE) : undefined;
  let fetchError: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const parsed = NetworkConfigSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error(`not a network config: ${z.prettifyError(parsed.error)}`);
    if (file) writeFileSync(file, JSON.stringify(parsed.data, null, 2) + '\n');
    return parsed.data;
  } catch (err) {
    fetchError = errorMessage(err);
  }
  if (file && existsSync(file)) {
    const saved = NetworkConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (saved.success) return saved.data;
  }
  throw new BootnodeError(
    `The bootnode at ${bootnodeUrl} (--bootnode-url / BOOTNODE_URL) did not answer ${url}: ${fetchError}` +
      (file ? `, and there is no saved copy in ${file}` : ' (with --data-directory a copy is kept for restarts)'),
    { url },
  );
}

type Origins = Record<string, Record<string, ConfigOrigin>>;

/**
 * The config with what the bootnode supplied filled in where the operator did not set a value (flag or env);
 * refuses, naming both values, when an explicit setting conflicts. Returns a new config.
 */
export function applyNetworkConfig(config: AztecConfig, origins: Origins, remote: NetworkConfig): AztecConfig {
  const explicit = (section: string, key: string) => ['flag', 'env'].includes(origins[section]?.[key] ?? '');
  const conflicts: string[] = [];
  const l1: Record<string, unknown> = { ...config.l1 };
  const take = (key: string, value: string | number, same: (a: unknown, b: unknown) => boolean) => {
    const current = l1[key] as string | number | undefined;
    if (explicit('l1', key) && current !== undefined && !same(current, value)) {
      conflicts.push(`${key}: you set ${current}, the bootnode says ${value}`);
    } else if (!explicit('l1', key)) {
      l1[key] = value;
    }
  };
  const sameAddress = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();
  take('l1ChainId', remote.l1ChainId, (a, b) => a === b);
  for (const [name, key] of Object.entries(ADDRESS_SETTINGS)) {
    if (key) take(key, remote.l1ContractAddresses[name as keyof L1ContractAddresses], sameAddress);
  }
  if (conflicts.length > 0) {
    throw new BootnodeError(
      `Settings conflict with the bootnode's network (BOOTNODE_URL):\n  - ${conflicts.join('\n  - ')}`,
      {
        conflicts,
      },
    );
  }
  const p2p = { ...config.p2p };
  if (!explicit('p2p', 'bootstrapNodes') && remote.bootstrapNodes.length > 0)
    p2p.bootstrapNodes = remote.bootstrapNodes;
  return { ...config, l1: l1 as AztecConfig['l1'], p2p };
}
