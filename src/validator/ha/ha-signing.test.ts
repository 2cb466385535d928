import { keccak256, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { getFreePort } from '../../foundation/net/free-port.js';
import { postgresForTests, startPostgres, type PostgresServer } from '../../foundation/testing/postgres-server.js';
import { openKvStore, type KvStore } from '../../kv/index.js';
import { recoverAttester } from '../../protocol/proposal-digest.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from '../slashing-protection.js';
import { HaSigningDatabase, openHaPool } from './database.js';
import { LATEST_HA_SCHEMA_VERSION, migrateDown, migrateUp } from './migrations.js';

const ROOT = chainIdentityRoot(31337, '0x00000000000000000000000000000000000a11ce');
const digest = (n: number): Hex => keccak256(toHex(n));
const pgAvailable = postgresForTests();

/** Awaits a refusal: its code, and a text its message contains. */
async function refused(p: Promise<unknown>, code: string, text = ''): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code });
  expect((err as Error).message).toContain(text);
}

describe.skipIf(!pgAvailable.available)('HA signing on a real PostgreSQL', () => {
  let server: PostgresServer;
  let n = 0;
  let closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (!pgAvailable.available) return;
    server = await startPostgres(pgAvailable.bin);
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers = [];
  });

  /** A fresh database on the server, migrated unless `migrated` is false. */
  async function freshDatabase(migrated = true): Promise<string> {
    const name = `ha_test_${++n}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = server.urlFor(name);
    if (migrated) {
      const pool = openHaPool(url);
      await migrateUp(pool);
      await pool.end();
    }
    return url;
  }

  async function haNode(url: string, nodeId: string): Promise<{ db: HaSigningDatabase; store: KvStore }> {
    const db = await HaSigningDatabase.connect({ url, chainRoot: ROOT, nodeId });
    const store = await openKvStore({ name: `validator-${nodeId}` });
    closers.push(
      () => db.close(),
      () => store.close(),
    );
    return { db, store };
  }

  const signerOn = (key: Hex, node: { db: HaSigningDatabase; store: KvStore }) =>
    new ProtectedSigner(key, new SlashingProtection(node.store, ROOT), { ha: node.db });

  it('migrates up, down and up again; each direction twice in a row changes nothing the second time', async () => {
    const url = await freshDatabase(false);
    const pool = openHaPool(url);
    closers.push(() => pool.end());
    const tables = async () =>
      (
        await pool.query<{ t: string }>(
          "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        )
      ).rows.map(r => r.t);

    const up = await migrateUp(pool);
    expect(up.done.map(m => m.version)).toEqual([1, 2]);
    expect(up.version).toBe(LATEST_HA_SCHEMA_VERSION);
    expect(await tables()).toEqual(['ha_schema_migrations', 'validator_duties']);
    expect(await migrateUp(pool)).toEqual({ done: [], version: LATEST_HA_SCHEMA_VERSION });

    // One step down removes the index only; the rest goes with the next.
    expect(await migrateDown(pool, 1)).toMatchObject({ done: [{ version: 2 }], version: 1 });
    const index = await pool.query<{ i: string | null }>("SELECT to_regclass('validator_duties_by_slot') AS i");
    expect(index.rows[0]!.i).toBeNull();
    expect(await migrateDown(pool)).toMatchObject({ done: [{ version: 1 }], version: 0 });
    expect(await tables()).toEqual([]);
    expect(await migrateDown(pool)).toEqual({ done: [], version: 0 });

    expect((await migrateUp(pool)).done.map(m => m.version)).toEqual([1, 2]);
    expect(await tables()).toEqual(['ha_schema_migrations', 'validator_duties']);
  });

  it('two nodes racing for the same duties: exactly one signs each, and the database says which', async () => {
    const url = await freshDatabase();
    const key = generatePrivateKey();
    const [a, b] = [await haNode(url, 'node-a'), await haNode(url, 'node-b')];
    const signers = [signerOn(key, a), signerOn(key, b)];
    const slots = Array.from({ length: 40 }, (_, i) => BigInt(100 + i));
    const outcomes = await Promise.all(
      slots.map(slot =>
        // Both nodes built the same block (same digest) and sign in the same instant.
        Promise.allSettled(signers.map(s => s.sign('attestation', slot, digest(Number(slot))))),
      ),
    );
    const winners: string[] = [];
    for (const [i, pair] of outcomes.entries()) {
      const won = pair.filter(o => o.status === 'fulfilled');
      expect(won, `slot ${slots[i]}`).toHaveLength(1);
      const lost = pair.find(o => o.status === 'rejected');
      expect(lost?.reason).toMatchObject({ code: 'HA_DUTY_TAKEN' });
      winners.push(pair[0]!.status === 'fulfilled' ? 'node-a' : 'node-b');
    }
    const duties = await a.db.duties();
    expect(duties).toHaveLength(slots.length);
    for (const [i, d] of duties.entries()) {
      expect(d).toMatchObject({ kind: 'attestation', slot: slots[i], nodeId: winners[i], digest: digest(100 + i) });
      expect(d.signature).toMatch(/^0x[0-9a-f]{130}$/);
      const sig = d.signature!;
      const recovered = await recoverAttester(d.digest, {
        r: sig.slice(0, 66) as Hex,
        s: `0x${sig.slice(66, 130)}`,
        v: parseInt(sig.slice(130), 16),
      });
      expect(recovered).toBe(privateKeyToAddress(key));
    }
    // The losers did not touch their local history either: it was not signed there.
    const loserOf = (i: number) => (winners[i] === 'node-a' ? b : a);
    for (const [i, slot] of slots.entries()) {
      expect(new SlashingProtection(loserOf(i).store, ROOT).get('attestation', privateKeyToAddress(key), slot)).toBe(
        undefined,
      );
    }
  });

  it('refuses another digest for a claimed duty (same node or another), re-signs the same one on the same node', async () => {
    const url = await freshDatabase();
    const key = generatePrivateKey();
    const a = await haNode(url, 'node-a');
    const b = await haNode(url, 'node-b');
    const signer = signerOn(key, a);
    const sig = await signer.sign('block', 7n, digest(1));
    await refused(
      signerOn(key, b).sign('block', 7n, digest(2)),
      'HA_DUTY_TAKEN',
      `node node-a claimed it with digest ${digest(1)}`,
    );
    await expect(signerOn(key, b).sign('block', 7n, digest(1))).rejects.toMatchObject({ code: 'HA_DUTY_TAKEN' });

    // node-a restarts (new connection, new local store): the same digest again is allowed, another is not.
    const restarted = await haNode(url, 'node-a');
    const again = signerOn(key, restarted);
    await expect(again.sign('block', 7n, digest(1))).resolves.toEqual(sig);
    await refused(again.sign('block', 7n, digest(3)), 'HA_DUTY_TAKEN', 'this node already claimed it');
    // Kinds are separate duties; the attestation of slot 7 is still free.
    await expect(signerOn(key, b).sign('attestation', 7n, digest(2))).resolves.toBeDefined();
    expect(await a.db.get('block', privateKeyToAddress(key), 7n)).toBe(digest(1));
    expect(await a.db.get('attestation', privateKeyToAddress(key), 7n)).toBe(digest(2));
    expect(await a.db.get('attestation', privateKeyToAddress(key), 8n)).toBeUndefined();
  });

  it('a node that dies holding a claim blocks only that duty: the next slot is signed by the other node', async () => {
    const url = await freshDatabase();
    const key = generatePrivateKey();
    const a = await haNode(url, 'node-a');
    const b = await haNode(url, 'node-b');
    // node-a claims slot 20 and "dies" before signing: the claim stays, unsigned.
    expect(await a.db.claim('block', privateKeyToAddress(key), 20n, digest(20))).toEqual({ won: true, again: false });
    await a.db.close();
    closers = closers.filter((_, i) => i !== 0);
    await expect(signerOn(key, b).sign('block', 20n, digest(20))).rejects.toMatchObject({ code: 'HA_DUTY_TAKEN' });
    await expect(signerOn(key, b).sign('block', 21n, digest(21))).resolves.toBeDefined();
    const duties = await b.db.duties(20n);
    expect(duties.map(d => [d.slot, d.nodeId, d.signature === undefined])).toEqual([
      [20n, 'node-a', true],
      [21n, 'node-b', false],
    ]);
  });

  it('imports duties all or nothing: a conflicting digest writes nothing', async () => {
    const url = await freshDatabase();
    const a = await haNode(url, 'node-a');
    const signer = privateKeyToAddress(generatePrivateKey());
    await a.db.claim('attestation', signer, 3n, digest(3));
    const conflict = await a.db.importDuties([
      { kind: 'attestation', signer, slot: 2n, digest: digest(2) },
      { kind: 'attestation', signer, slot: 3n, digest: digest(4) },
    ]);
    expect(conflict).toMatchObject({ added: 0, conflicts: [{ slot: 3n, stored: digest(3) }] });
    expect(await a.db.get('attestation', signer, 2n)).toBeUndefined();
    const ok = await a.db.importDuties([
      { kind: 'attestation', signer, slot: 2n, digest: digest(2) },
      { kind: 'attestation', signer, slot: 3n, digest: digest(3) },
    ]);
    expect(ok).toEqual({ added: 1, conflicts: [] });
  });

  it('a database nobody listens on: the error names VALIDATOR_HA_DATABASE_URL, without the password', async () => {
    const port = await getFreePort();
    const url = `postgres://validator:s3cret-pw@127.0.0.1:${port}/ha`;
    const err = await HaSigningDatabase.connect({ url, chainRoot: ROOT, nodeId: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HA_DATABASE_UNREACHABLE' });
    const message = (err as Error).message;
    expect(message).toContain('VALIDATOR_HA_DATABASE_URL');
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('s3cret-pw');
  });

  it('a database without the schema: refused at connect, saying to run aztec migrate-ha-db up', async () => {
    const url = await freshDatabase(false);
    await refused(
      HaSigningDatabase.connect({ url, chainRoot: ROOT, nodeId: 'x' }),
      'HA_SCHEMA_OUTDATED',
      'schema version 0, this node needs 2: run `aztec migrate-ha-db up`',
    );
  });

  it('a claim the database cannot answer is not signed (HA_CLAIM_FAILED)', async () => {
    const url = await freshDatabase();
    const a = await haNode(url, 'node-a');
    const key = generatePrivateKey();
    await a.db.close();
    closers.shift();
    await refused(signerOn(key, a).sign('attestation', 1n, digest(1)), 'HA_CLAIM_FAILED', 'VALIDATOR_HA_DATABASE_URL');
    expect(new SlashingProtection(a.store, ROOT).get('attestation', privateKeyToAddress(key), 1n)).toBeUndefined();
  });
});
