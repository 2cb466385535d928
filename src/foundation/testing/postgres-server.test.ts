import { existsSync } from 'node:fs';

import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { postgresForTests, startPostgres } from './postgres-server.js';

const pgAvailable = postgresForTests();

describe.skipIf(!pgAvailable.available)('startPostgres', () => {
  it('runs a real server on 127.0.0.1 that answers queries, and stop() ends it by PID and removes its folder', async () => {
    if (!pgAvailable.available) return;
    const server = await startPostgres(pgAvailable.bin);
    let stopped = false;
    try {
      expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ v: string }>('SELECT version() AS v');
      await client.end();
      expect(rows[0]!.v).toMatch(/^PostgreSQL \d+/);
      await server.stop();
      stopped = true;
      expect(() => process.kill(server.pid, 0)).toThrow();
      expect(existsSync(server.dataDir)).toBe(false);
    } finally {
      if (!stopped) await server.stop();
    }
  });
});
