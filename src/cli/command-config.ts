import {
  ConfigError,
  resolveConfig,
  type ConfigIssue,
  type ConfigMapping,
  type ConfigMappings,
  type ConfigOf,
  type ConfigSections,
} from '../foundation/config/index.js';
import { l1ConfigMappings } from '../l1/config.js';
import { nodeConfigMappings, type AztecConfig } from '../node/config.js';
import { listNetworks } from '../node/networks.js';
import { renderHelp } from './commands/start/help.js';
import { resolveAztecConfig } from './commands/start/parse.js';
import { passThroughCommand, readFlags } from './flags.js';
import type { CliCommand, CliContext } from './types.js';

/** A command that takes its own settings plus the network and L1 settings of `aztec start`. */
export interface CommandSpec<M extends ConfigMappings> {
  name: string;
  summary: string;
  title: string;
  mappings: M;
}

/** The result of parsing a command: its help, or its own settings and the resolved network/L1 config. */
export type ParsedCommand<M extends ConfigMappings> =
  { kind: 'help'; text: string } | { kind: 'run'; own: ConfigOf<M>; config: AztecConfig };

function sectionsOf<M extends ConfigMappings>(spec: CommandSpec<M>): ConfigSections {
  return {
    own: { title: spec.title, mappings: spec.mappings },
    network: { title: 'Network', mappings: { network: nodeConfigMappings.network } },
    l1: { title: 'L1', mappings: l1ConfigMappings },
  };
}

/**
 * Parses a command's arguments against the environment: its own settings, `--network` and the L1 settings,
 * with the same precedence and error reporting as `aztec start`. Throws one `ConfigError` for every problem.
 */
export function parseCommand<M extends ConfigMappings>(
  spec: CommandSpec<M>,
  args: readonly string[],
  env: CliContext['env'],
): ParsedCommand<M> {
  const sections = sectionsOf(spec);
  const mappings = Object.values(sections).flatMap(s => Object.values<ConfigMapping<unknown>>(s.mappings));
  const { help, flags } = readFlags(spec.name, mappings, args);
  if (help) {
    return {
      kind: 'help',
      text: renderHelp({
        usage: `Usage: aztec ${spec.name} [options]`,
        summary: spec.summary,
        sections,
        networks: listNetworks(),
      }),
    };
  }
  const issues: ConfigIssue[] = [];
  let own: ConfigOf<M> | undefined;
  let config: AztecConfig | undefined;
  try {
    own = resolveConfig(spec.mappings, { flags, env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    issues.push(...err.issues);
  }
  try {
    config = resolveAztecConfig({ flags, env }, { defaultNetwork: 'local' }).config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    issues.push(...err.issues);
  }
  if (!own || !config || issues.length > 0) throw new ConfigError(issues);
  return { kind: 'run', own, config };
}

/** A required setting that was not given: a `ConfigError` naming its flag and variable. */
export function missingSetting(m: ConfigMapping<unknown>, why: string): ConfigError {
  const names = m.env ? `${m.flag} / ${m.env}` : m.flag;
  return new ConfigError([{ flag: m.flag, ...(m.env ? { env: m.env } : {}), message: `${names} is required: ${why}` }]);
}

/** A `CliCommand` built from a spec: `--help` and parsing are handled, `run` gets the parsed settings. */
export function configCommand<M extends ConfigMappings>(
  spec: CommandSpec<M>,
  run: (parsed: { own: ConfigOf<M>; config: AztecConfig }, ctx: CliContext) => Promise<void>,
): CliCommand {
  return {
    name: spec.name,
    register(program, ctx) {
      passThroughCommand(program, spec.name, spec.summary).action(async (args: string[]) => {
        const parsed = parseCommand(spec, args, ctx.env);
        if (parsed.kind === 'help') return ctx.stdout(parsed.text);
        await run(parsed, ctx);
      });
    },
  };
}
