import type { CliCommand } from '../types.js';
import { startCommand } from './start/index.js';

/** Every `aztec` subcommand, in the order `aztec --help` lists them. Add yours here. */
export const commands: CliCommand[] = [startCommand];
