import { configureLogging, createLogger } from '../../../foundation/log/index.js';
import { passThroughCommand } from '../../flags.js';
import type { CliCommand } from '../../types.js';
import { networkUrlOf, parseStartCommand } from './parse.js';

export { parseStartCommand, resolveAztecConfig, startSections } from './parse.js';
export type { ResolveOptions, ResolvedAztecConfig, StartCommand } from './parse.js';
export type { StartModules } from './modules.js';

/**
 * `aztec start`: its options are generated from the config declarations, so commander only passes the raw
 * arguments through to `parseStartCommand`. What runs the node is imported once the arguments are parsed, so
 * `aztec start --help` and a refused setting answer without loading it.
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
      const fetchedPresets = url
        ? { [url]: await (await import('../../../node/networks.js')).fetchNetworkPreset(url) }
        : undefined;
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
      const { redactAztecConfig } = await import('../../../node/config.js');
      createLogger('cli').verbose('Resolved configuration', { modules, config: redactAztecConfig(config) });
      if (modules.localNetwork) {
        const { startLocalNetwork } = await import('./local-network.js');
        await startLocalNetwork(config, modules.validators, ctx);
      } else {
        const { runStart } = await import('./run.js');
        await runStart(config, modules, parsed.origins);
      }
    });
  },
};
