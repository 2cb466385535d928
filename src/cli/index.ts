import { Command, CommanderError } from 'commander';

import { errorMessage, NodeError } from '../foundation/errors/index.js';
import { NODE_VERSION } from '../node/version.js';
import { loadCommandsFor } from './commands/index.js';
import type { CliCommand, CliContext } from './types.js';

export type { CliCommand, CliContext } from './types.js';
export { commandEntries, loadCommands } from './commands/index.js';
export { parseStartCommand, resolveAztecConfig } from './commands/start/parse.js';

/** The context of a real run: `process.env`, stdout and stderr. */
export function processContext(): CliContext {
  return {
    env: process.env,
    stdout: text => void process.stdout.write(text),
    stderr: text => void process.stderr.write(text),
  };
}

/** Builds the `aztec` program with the given subcommands (`loadCommands()`: all). Errors are thrown, not exited on. */
export function buildProgram(ctx: CliContext, commands: readonly CliCommand[]): Command {
  const program = new Command('aztec')
    .description('Runs and manages a node of the L2 rollup: `aztec start --help` lists every setting.')
    // The same string `node_getNodeVersion` answers, so a script can compare the binary with a running node.
    .version(NODE_VERSION, '-V, --version', 'Prints the version of this software')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  for (const command of commands) command.register(program, ctx);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

function debugEnabled(env: CliContext['env']): boolean {
  return /\b(trace|debug)\b/.test(env['LOG_LEVEL'] ?? '');
}

/** Prints a failure for the operator and returns the exit code. Config problems and `NodeError`s: message only. */
function report(err: unknown, ctx: CliContext): number {
  if (err instanceof CommanderError) return err.exitCode; // commander has already printed it
  if (err instanceof NodeError) {
    ctx.stderr(`${err.message}\n`);
    return 1;
  }
  const stack = err instanceof Error && debugEnabled(ctx.env) ? `\n${err.stack}` : '';
  ctx.stderr(`Error: ${errorMessage(err)}${stack}\n`);
  return 1;
}

/**
 * Runs the `aztec` CLI with `argv` as in `process.argv` (node, script, args...). Returns the exit code and sets
 * `process.exitCode` to it.
 */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  let code = 0;
  try {
    await buildProgram(ctx, await loadCommandsFor(argv)).parseAsync(argv);
  } catch (err) {
    code = report(err, ctx);
  }
  process.exitCode = code;
  return code;
}
