import { configureLogging, createLogger } from '../../../foundation/log/index.js';
import { redactAztecConfig } from '../../../node/config.js';
import { passThroughCommand } from '../../flags.js';
import type { CliCommand } from '../../types.js';
import { startLocalNetwork } from './local-network.js';
import { fetchNetworkPreset } from '../../../node/networks.js';
import { networkUrlOf, parseStartCommand } from './parse.js';
import { runStart } from './run.js';

export { parseStartCommand, resolveAztecConfig, startSections } from './parse.js';
export type { ResolveOptions, ResolvedAztecConfig, StartCommand } from './parse.js';
export type { StartModules } from './modules.js';

/**
 * `aztec start`: its options are generated from the config declarations, so commander only passes the raw
 * arguments through to `parseStartCommand`.
 */
export const startCommand: CliCommand = {
  name: 'start',
  register(program, ctx) {
    passThroughCommand(
      program,
      'start',
      'Starts the modules chosen by flags (--node, --archiver, --sequencer, ...). See `aztec start --help`.',
    ).action(async (args: string[]) => {
      const url = networkUrlOf(args, ctx.env);
      const fetchedPresets = url ? { [url]: await fetchNetworkPreset(url) } : undefined;
      const parsed = parseStartCommand(args, ctx.env, fetchedPresets ? { fetchedPresets } : {});
      if (parsed.kind === 'help') {
        ctx.stdout(parsed.text);
        return;
      }
      const { config, modules } = parsed;
      configureLogging({
        level: config.node.logLevel,
        ...(config.node.logJson !== undefined ? { json: config.node.logJson } : {}),
      });
      createLogger('cli').verbose('Resolved configuration', { modules, config: redactAztecConfig(config) });
      if (modules.localNetwork) await startLocalNetwork(config, modules.validators, ctx);
      else await runStart(config, modules, parsed.origins);
    });
  },
};
