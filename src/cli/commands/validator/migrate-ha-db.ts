import type { Command } from 'commander';
import type pg from 'pg';

import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { validatorConfigMappings } from '../../../validator/config.js';
import {
  LATEST_HA_SCHEMA_VERSION,
  migrateDown,
  migrateUp,
  openHaPool,
  redactDatabaseUrl,
  unreachable,
  type MigrationResult,
} from '../../../validator/ha/index.js';
import { missingSetting, parseCommand, type CommandSpec } from '../../command-config.js';
import { passThroughCommand } from '../../flags.js';
import type { CliCommand, CliContext } from '../../types.js';

// The node's own setting (variable, parser, secrecy), under the shorter flag this command is used with.
const databaseUrl = {
  ...validatorConfigMappings.haDatabaseUrl,
  flag: '--database-url',
  aliases: [validatorConfigMappings.haDatabaseUrl.flag],
  description: 'The HA signing database (postgres://user:password@host:5432/db), as the nodes use it.',
};

const upMappings = defineConfigMappings({ databaseUrl });
const downMappings = defineConfigMappings({
  databaseUrl,
  steps: {
    flag: '--steps',
    parse: p.integer({ min: 1 }),
    defaultText: 'all: the whole schema, duties included',
    description: 'How many migrations to revert, newest first.',
  },
});

const upSpec: CommandSpec<typeof upMappings> = {
  name: 'migrate-ha-db up',
  title: 'HA signing database',
  summary:
    `Creates or upgrades the HA signing database's schema to version ${LATEST_HA_SCHEMA_VERSION}: applies, in order, ` +
    'each migration not applied yet (each in its own transaction; running it again does nothing). Run it before ' +
    'the first node with VALIDATOR_HA_SIGNING_ENABLED starts, and after upgrading the nodes.',
  mappings: upMappings,
};

const downSpec: CommandSpec<typeof downMappings> = {
  name: 'migrate-ha-db down',
  title: 'HA signing database',
  summary:
    'Reverts the applied migrations, newest first (all of them unless --steps): without --steps the tables go, with ' +
    'the record of which node claimed which duty. Stop every node of the set first.',
  mappings: downMappings,
};

function report(direction: 'up' | 'down', url: string, r: MigrationResult, ctx: CliContext): void {
  const where = redactDatabaseUrl(url);
  if (r.done.length === 0) {
    ctx.stdout(`Nothing to ${direction === 'up' ? 'apply' : 'revert'}: ${where} is at schema version ${r.version}\n`);
    return;
  }
  for (const m of r.done) ctx.stdout(`${direction === 'up' ? 'Applied' : 'Reverted'} ${m.version} ${m.name}\n`);
  ctx.stdout(`${where} is at schema version ${r.version}\n`);
}

/** Runs `migrate` on a one-connection pool of the URL; a failure that is not SQL names VALIDATOR_HA_DATABASE_URL. */
async function migrateWith(
  url: string,
  migrate: (pool: pg.Pool) => Promise<MigrationResult>,
): Promise<MigrationResult> {
  const pool = openHaPool(url, 1);
  try {
    return await migrate(pool);
  } catch (err) {
    // An SQL error (a migration that fails) carries its SQLSTATE and is shown as it is; anything else is the
    // connection.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) throw err;
    throw unreachable(url, err);
  } finally {
    await pool.end();
  }
}

async function runUp(args: string[], ctx: CliContext): Promise<void> {
  const parsed = parseCommand(upSpec, args, ctx.env);
  if (parsed.kind === 'help') return ctx.stdout(parsed.text);
  const url = parsed.own.databaseUrl;
  if (url === undefined) throw missingSetting(databaseUrl, 'the database whose schema to migrate');
  report('up', url, await migrateWith(url, pool => migrateUp(pool)), ctx);
}

async function runDown(args: string[], ctx: CliContext): Promise<void> {
  const parsed = parseCommand(downSpec, args, ctx.env);
  if (parsed.kind === 'help') return ctx.stdout(parsed.text);
  const { databaseUrl: url, steps } = parsed.own;
  if (url === undefined) throw missingSetting(databaseUrl, 'the database whose schema to migrate');
  report('down', url, await migrateWith(url, pool => migrateDown(pool, steps)), ctx);
}

function sub(group: Command, name: 'up' | 'down', summary: string, ctx: CliContext): void {
  passThroughCommand(group, name, summary)
    .exitOverride()
    .action(async (args: string[]) => (name === 'up' ? runUp(args, ctx) : runDown(args, ctx)));
}

/** `aztec migrate-ha-db up|down [--database-url <url>]`. */
export const migrateHaDbCommand: CliCommand = {
  name: 'migrate-ha-db',
  register(program, ctx) {
    const group = program
      .command('migrate-ha-db')
      .description("Creates, upgrades or removes the HA signing database's schema (VALIDATOR_HA_DATABASE_URL).")
      .enablePositionalOptions()
      .exitOverride();
    sub(group, 'up', upSpec.summary, ctx);
    sub(group, 'down', downSpec.summary, ctx);
  },
};
