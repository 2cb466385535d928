import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { z } from 'zod';

import { errorMessage } from '../foundation/errors/index.js';
import { addressPresetValues } from '../l1/config.js';
import { localNetworkAddresses } from '../l1/local-addresses.js';
import { ConfigError, type ConfigIssue, type ConfigOrigin, type ConfigSections } from '../foundation/config/index.js';

/** A network preset: env-style values (keyed by environment variable) parsed by the settings' own parsers. */
export interface NetworkPreset {
  name: string;
  description: string;
  /** `VAR: value`. An empty value means "required, but not known yet": the operator must supply it. */
  values: Record<string, string>;
  /** `built-in`, or the JSON file it was read from. */
  source: string;
}

/** The built-in `local` network: its own anvil L1 and short timings for development and tests. */
export const LOCAL_NETWORK: NetworkPreset = {
  name: 'local',
  description: 'A whole network on one machine with its own L1 (anvil), for development and tests.',
  source: 'built-in',
  values: {
    L1_CHAIN_ID: '31337',
    ETHEREUM_SLOT_DURATION: '2',
    AZTEC_SLOT_DURATION: '8',
    AZTEC_EPOCH_DURATION: '8',
    AZTEC_PROOF_SUBMISSION_WINDOW: '16',
    AZTEC_TARGET_COMMITTEE_SIZE: '4',
    // A development network: validators join without waiting, and exits are quick.
    AZTEC_HANDLER_MINT_INTERVAL_SECONDS: '0',
    AZTEC_EXIT_DELAY_SECONDS: '60',
    // No doppelganger watch: the network's chain is new at every start (no other node can have signed on it before),
    // its validators run in this one node, and a watch would cost its first block in slot 0 a whole epoch or more.
    VALIDATOR_DOPPELGANGER_EPOCHS: '0',
    // Where `aztec start --local-network` deploys on its fresh L1 (deterministic: src/l1/local-addresses.ts).
    ...addressPresetValues(localNetworkAddresses()),
  },
};

const BUILT_IN: readonly NetworkPreset[] = [LOCAL_NETWORK];

const presetFileSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  values: z.record(z.string(), z.string()),
});

/** The package root: the nearest folder above this file with a package.json (works from src/ and dist/). */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Where preset files live: `<package root>/networks`. */
export function defaultNetworksDir(): string {
  return join(packageRoot(), 'networks');
}

function presetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .map(f => f.slice(0, -'.json'.length));
}

/** Names of every known network: built-in ones, then the files in `dir`. */
export function listNetworks(dir = defaultNetworksDir()): string[] {
  const builtIn = BUILT_IN.map(n => n.name);
  return [
    ...builtIn,
    ...presetFiles(dir)
      .filter(n => !builtIn.includes(n))
      .sort(),
  ];
}

const networkIssue = (message: string): ConfigIssue => ({ flag: '--network', env: 'NETWORK', message });

/**
 * Loads a preset by name: built in, or `networks/<name>.json`. Throws `ConfigError` for an unknown name (listing
 * the known ones) or a malformed file.
 */
export function loadNetwork(name: string, dir = defaultNetworksDir()): NetworkPreset {
  const builtIn = BUILT_IN.find(n => n.name === name);
  if (builtIn) return builtIn;
  if (name.endsWith('.json')) return loadNetworkFile(name);
  const file = join(dir, `${name}.json`);
  if (!presetFiles(dir).includes(name)) {
    const known = listNetworks(dir).join(', ');
    throw new ConfigError([networkIssue(`--network / NETWORK: unknown network "${name}"; known networks: ${known}`)]);
  }
  const shown = relative(process.cwd(), file) || file;
  let parsed: z.infer<typeof presetFileSchema>;
  try {
    parsed = presetFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new ConfigError([networkIssue(`network preset file ${shown} is not valid: ${errorMessage(err)}`)]);
  }
  if (parsed.name !== name) {
    throw new ConfigError([networkIssue(`network preset file ${shown} is named "${parsed.name}", not "${name}"`)]);
  }
  return { ...parsed, source: file };
}

/** A preset from a JSON file given by path (`--network ./my-network.json`). */
export function loadNetworkFile(file: string): NetworkPreset {
  const shown = relative(process.cwd(), file) || file;
  let parsed: z.infer<typeof presetFileSchema>;
  try {
    parsed = presetFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new ConfigError([networkIssue(`network preset file ${shown} cannot be used: ${errorMessage(err)}`)]);
  }
  return { ...parsed, source: file };
}

/**
 * Fetches a preset served at a URL (`--network https://…/network.json`) and returns it as JSON text, for
 * `resolveAztecConfig` to load like a file. Fails naming the URL.
 */
export async function fetchNetworkPreset(url: string): Promise<NetworkPreset> {
  let parsed: z.infer<typeof presetFileSchema>;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    parsed = presetFileSchema.parse(await res.json());
  } catch (err) {
    throw new ConfigError([networkIssue(`network preset at ${url} cannot be used: ${errorMessage(err)}`)]);
  }
  return { ...parsed, source: url };
}

/**
 * The values a preset leaves empty (a network not deployed yet: contract addresses, bootnodes) that were not
 * given by a flag or an environment variable either. Returns one issue naming the preset, each missing
 * variable and the flag that supplies it; undefined when nothing is missing.
 */
export function missingPresetValues(
  preset: NetworkPreset,
  sections: ConfigSections,
  origins: Record<string, Record<string, ConfigOrigin>>,
): ConfigIssue | undefined {
  const missing: string[] = [];
  for (const [envName, value] of Object.entries(preset.values)) {
    if (value.trim() !== '') continue;
    for (const [sectionName, section] of Object.entries(sections)) {
      for (const [key, m] of Object.entries(section.mappings)) {
        if (m.env !== envName && !(m.envAliases ?? []).includes(envName)) continue;
        const origin = origins[sectionName]?.[key];
        if (origin !== 'flag' && origin !== 'env') missing.push(`      ${m.env ?? envName} (${m.flag})`);
      }
    }
  }
  if (missing.length === 0) return undefined;
  return networkIssue(
    [
      `network preset "${preset.name}" leaves ${missing.length} value(s) empty: the network is not deployed yet or its ` +
        'values are not published. Give each with its environment variable or flag:',
      ...missing,
    ].join('\n'),
  );
}
