import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getFreePort } from '../../../foundation/net/free-port.js';
import { postgresForTests, startPostgres, type PostgresServer } from '../../../foundation/testing/postgres-server.js';
import { main } from '../../index.js';

const pgAvailable = postgresForTests();

async function aztec(args: string[], env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const code = await main(['node', 'aztec', ...args], {
    env,
    stdout: t => void (out.stdout += t),
    stderr: t => void (out.stderr += t),
  });
  process.exitCode = 0;
  return { code, ...out };
}

describe.skipIf(!pgAvailable.available)('aztec migrate-ha-db', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    if (!pgAvailable.available) return;
    server = await startPostgres(pgAvailable.bin);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const tables = async () => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const { rows } = await c.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    await c.end();
    return rows.map(r => r.t);
  };

  it('up, up again, down one step, down, down again, up: by --database-url or VALIDATOR_HA_DATABASE_URL', async () => {
    const up = await aztec(['migrate-ha-db', 'up', '--database-url', server.url]);
    expect(up).toMatchObject({ code: 0, stderr: '' });
    expect(up.stdout).toContain('Applied 1 validator duties\nApplied 2 duties by slot\n');
    expect(up.stdout).toContain('is at schema version 2');
    expect(await tables()).toEqual(['ha_schema_migrations', 'validator_duties']);

    const env = { VALIDATOR_HA_DATABASE_URL: server.url };
    expect((await aztec(['migrate-ha-db', 'up'], env)).stdout).toMatch(/^Nothing to apply: .* schema version 2\n$/);
    expect((await aztec(['migrate-ha-db', 'down', '--steps', '1'], env)).stdout).toContain('Reverted 2 duties by slot');
    const down = await aztec(['migrate-ha-db', 'down'], env);
    expect(down.stdout).toContain('Reverted 1 validator duties');
    expect(down.stdout).toContain('schema version 0');
    expect(await tables()).toEqual([]);
    expect((await aztec(['migrate-ha-db', 'down'], env)).stdout).toMatch(/^Nothing to revert: .* schema version 0\n$/);
    expect((await aztec(['migrate-ha-db', 'up'], env)).code).toBe(0);
    expect(await tables()).toEqual(['ha_schema_migrations', 'validator_duties']);
  });

  it('names VALIDATOR_HA_DATABASE_URL when it is missing or cannot be reached, never printing the password', async () => {
    const missing = await aztec(['migrate-ha-db', 'up']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--database-url / VALIDATOR_HA_DATABASE_URL is required');

    const url = `postgres://validator:pw-0f-mine@127.0.0.1:${await getFreePort()}/ha`;
    const down = await aztec(['migrate-ha-db', 'up'], { VALIDATOR_HA_DATABASE_URL: url });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Cannot use the HA signing database');
    expect(down.stderr).toContain('(VALIDATOR_HA_DATABASE_URL)');
    expect(down.stderr).toContain('ECONNREFUSED');
    expect(down.stderr).not.toContain('pw-0f-mine');
  });
});
