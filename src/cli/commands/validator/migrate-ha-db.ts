import type { Command } from 'commander';

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

async function run(direction: 'up' | 'down', args: string[], ctx: CliContext): Promise<void> {
  const spec = direction === 'up' ? upSpec : downSpec;
  const parsed = parseCommand<typeof downMappings>(spec as CommandSpec<typeof downMappings>, args, ctx.env);
  if (parsed.kind === 'help') return ctx.stdout(parsed.text);
  const { own } = parsed;
  if (own.databaseUrl === undefined) throw missingSetting(databaseUrl, 'the database whose schema to migrate');
  const pool = openHaPool(own.databaseUrl, 1);
  try {
    const result = await (direction === 'up' ? migrateUp(pool) : migrateDown(pool, own.steps)).catch((err: unknown) => {
      // An SQL error (a migration that fails) is shown as it is; anything else is a connection problem.
      if (typeof (err as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code))
        throw err;
      throw unreachable(own.databaseUrl!, err);
    });
    report(direction, own.databaseUrl, result, ctx);
  } finally {
    await pool.end();
  }
}

function sub(group: Command, name: 'up' | 'down', summary: string, ctx: CliContext): void {
  passThroughCommand(group, name, summary)
    .exitOverride()
    .action(async (args: string[]) => run(name, args, ctx));
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
