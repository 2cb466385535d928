import { Command, CommanderError, Option } from 'commander';

import { ConfigError, kindOf, type ConfigMapping } from '../foundation/config/index.js';

// Commander echoes an unknown `--flag=value` whole; keep the value out in case it is a secret.
function sanitize(message: string): string {
  return message.replace(/^error: /, '').replace(/'(--?[^'=\s]+)=[^']*'/g, "'$1=…'");
}

/**
 * Reads the flags of `mappings` (and their aliases) from a command's raw arguments, without side effects.
 * Returns `--flag → raw value` for the flags given (booleans alone as `'true'`) and whether help was asked for.
 * Unknown flags and stray arguments are one `ConfigError`.
 */
export function readFlags(
  command: string,
  mappings: readonly ConfigMapping<unknown>[],
  args: readonly string[],
): { help: boolean; flags: Record<string, string> } {
  const cmd = new Command(command)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .helpOption(false)
    .allowExcessArguments(false)
    .option('-h, --help');
  const options = new Map<string, Option>();
  for (const m of mappings) {
    for (const flag of [m.flag, ...(m.aliases ?? [])]) {
      const option = new Option(kindOf(m) === 'flag' ? `${flag} [value]` : `${flag} <value>`);
      cmd.addOption(option);
      options.set(flag, option);
    }
  }
  try {
    cmd.parse([...args], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError)
      throw new ConfigError([{ message: `aztec ${command}: ${sanitize(err.message)}` }]);
    throw err;
  }
  const flags: Record<string, string> = {};
  for (const [flag, option] of options) {
    const value: unknown = cmd.getOptionValue(option.attributeName());
    if (typeof value === 'string') flags[flag] = value;
    else if (value === true) flags[flag] = 'true';
  }
  return { help: cmd.getOptionValue('help') === true, flags };
}

/**
 * Adds a subcommand whose options are parsed by `readFlags` from its declarations rather than by commander:
 * commander only hands the raw arguments through.
 */
export function passThroughCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument('[options...]');
}
