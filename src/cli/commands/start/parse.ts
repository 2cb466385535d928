import {
  ConfigError,
  resolveConfig,
  resolveSections,
  type ConfigIssue,
  type ConfigMapping,
  type ResolvedSections,
  type ConfigSections,
  type ConfigSources,
} from '../../../foundation/config/index.js';
import { aztecConfigSections, nodeConfigMappings, type AztecConfig } from '../../../node/config.js';
import { moduleProblems } from '../../../node/modules.js';
import { listNetworks, loadNetwork, missingPresetValues, type NetworkPreset } from '../../../node/networks.js';
import { readFlags } from '../../flags.js';
import { renderStartHelp } from './help.js';
import { SERVICE_MODULES, startModuleMappings, type StartModules } from './modules.js';

/** Options of the resolution: where presets live and which network applies when none is named. */
export interface ResolveOptions {
  /** Folder of `<name>.json` presets; defaults to `<package root>/networks`. */
  networksDir?: string;
  /** Network used when neither --network nor NETWORK is given. */
  defaultNetwork?: string;
  /** Presets already fetched from URLs (`--network https://…`), by URL. */
  fetchedPresets?: Readonly<Record<string, NetworkPreset>>;
}

/** A resolved configuration, where each value came from, and the preset applied. */
export interface ResolvedAztecConfig extends ResolvedSections<typeof aztecConfigSections> {
  config: AztecConfig;
  preset: NetworkPreset | undefined;
}

/** The result of parsing `aztec start …`: either help to print, or what to start with which config. */
export type StartCommand =
  { kind: 'help'; text: string } | ({ kind: 'start'; modules: StartModules } & ResolvedAztecConfig);

/** Every section `aztec start` knows, the module switches first (as in its help). */
export const startSections = {
  modules: { title: 'Modules', mappings: startModuleMappings },
  ...aztecConfigSections,
} satisfies ConfigSections;

function issuesOf(err: unknown): ConfigIssue[] {
  if (err instanceof ConfigError) return [...err.issues];
  throw err;
}

/**
 * Resolves the whole configuration: picks the network (flag, then NETWORK, then `defaultNetwork`), loads its
 * preset and resolves every section with precedence flag > env > preset > default. Throws one `ConfigError`
 * with every problem (bad values, unknown network, unknown preset keys).
 */
export function resolveAztecConfig(sources: ConfigSources, opts: ResolveOptions = {}): ResolvedAztecConfig {
  const issues: ConfigIssue[] = [];
  let networkName = opts.defaultNetwork;
  try {
    networkName = resolveConfig({ network: nodeConfigMappings.network }, sources).network ?? networkName;
  } catch {
    // A bad NETWORK value is reported by the full resolution below.
  }
  let preset: NetworkPreset | undefined;
  try {
    if (networkName !== undefined)
      preset = opts.fetchedPresets?.[networkName] ?? loadNetwork(networkName, opts.networksDir);
  } catch (err) {
    issues.push(...issuesOf(err));
  }
  try {
    const resolved = resolveSections(aztecConfigSections, { ...sources, ...(preset ? { preset } : {}) });
    if (issues.length === 0) {
      if (preset) resolved.config.node.network = preset.name;
      return { ...resolved, preset };
    }
  } catch (err) {
    issues.push(...issuesOf(err));
  }
  throw new ConfigError(issues);
}

function allMappings(): ConfigMapping<unknown>[] {
  return Object.values(startSections).flatMap(s => Object.values<ConfigMapping<unknown>>(s.mappings));
}

/**
 * Parses the arguments after `aztec start` against the environment, without side effects. Returns the help
 * text for `-h/--help`; otherwise the resolved config and chosen modules. Throws one `ConfigError` listing
 * every problem: bad values, unknown flags or network, no module chosen, a combination of modules that cannot work
 * (`--sequencer` without `--node`, say), or preset values left empty.
 */
export function parseStartCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  opts: ResolveOptions = {},
): StartCommand {
  const { help, flags } = readFlags('start', allMappings(), args);
  if (help) return { kind: 'help', text: renderStartHelp(startSections, listNetworks(opts.networksDir)) };

  const issues: ConfigIssue[] = [];
  let modules: StartModules | undefined;
  try {
    modules = resolveConfig(startModuleMappings, { flags });
  } catch (err) {
    issues.push(...issuesOf(err));
  }
  const defaultNetwork = modules?.localNetwork ? 'local' : opts.defaultNetwork;
  let resolved: ResolvedAztecConfig | undefined;
  try {
    resolved = resolveAztecConfig({ flags, env }, { ...opts, ...(defaultNetwork ? { defaultNetwork } : {}) });
  } catch (err) {
    issues.push(...issuesOf(err));
  }
  if (modules === undefined || resolved === undefined) throw new ConfigError(issues);

  if (!modules.localNetwork && !SERVICE_MODULES.some(m => modules[m])) {
    const flagsList = [...SERVICE_MODULES.map(m => startModuleMappings[m].flag), '--local-network'].join(', ');
    throw new ConfigError([{ message: `aztec start: choose what to start with at least one of ${flagsList}` }]);
  }
  if (!modules.localNetwork && !modules.p2pBootstrap) {
    const problems = moduleProblems(modules, resolved.config.p2p.enabled);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const gap = resolved.preset && missingPresetValues(resolved.preset, aztecConfigSections, resolved.origins);
  if (gap) throw new ConfigError([gap]);
  return { kind: 'start', modules, ...resolved };
}

/** The raw `--network` / NETWORK value when it is a URL: its preset must be fetched before parsing. */
export function networkUrlOf(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const i = args.findIndex(a => a === '--network' || a.startsWith('--network='));
  const raw = i < 0 ? env['NETWORK'] : args[i]!.includes('=') ? args[i]!.split('=', 2)[1] : args[i + 1];
  return raw && /^https?:\/\//.test(raw) ? raw : undefined;
}
