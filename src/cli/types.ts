import type { Command } from 'commander';

/** What a command needs from its surroundings; tests pass their own. */
export interface CliContext {
  /** Environment variables (normally `process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Writes text to standard output as is (add the newline yourself). */
  stdout: (text: string) => void;
  /** Writes text to standard error as is. */
  stderr: (text: string) => void;
}

/**
 * One `aztec` subcommand. To add a command, export one of these from its folder under `src/cli/commands/` and
 * list it in `src/cli/commands/index.ts`. `register` adds it to the program; its action may throw: a `NodeError`
 * (e.g. `ConfigError`) is printed as its message and exits 1.
 */
export interface CliCommand {
  name: string;
  register(program: Command, ctx: CliContext): void;
}
