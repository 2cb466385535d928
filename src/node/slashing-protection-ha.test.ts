import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { keccak256, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { postgresForTests, startPostgres, type PostgresServer } from '../foundation/testing/postgres-server.js';
import { openKvStore } from '../kv/index.js';
import { HaSigningDatabase, migrateUp, openHaPool } from '../validator/ha/index.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from '../validator/slashing-protection.js';
import { NODE_STORE_NAME } from './node-store.js';
import { exportSlashingProtection, importSlashingProtection } from './slashing-protection-history.js';

const ROOT = chainIdentityRoot(31337, '0x00000000000000000000000000000000000a11ce');
const digest = (n: number): Hex => keccak256(toHex(n));
const pgAvailable = postgresForTests();

describe.skipIf(!pgAvailable.available)('slashing protection interchange with the HA signing database', () => {
  let server: PostgresServer;
  let n = 0;
  const tmp = mkdtempSync(join(tmpdir(), 'slashing-ha-'));
  beforeAll(async () => {
    if (!pgAvailable.available) return;
    server = await startPostgres(pgAvailable.bin);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function freshDatabase(): Promise<string> {
    const name = `history_${++n}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const pool = openHaPool(server.urlFor(name));
    await migrateUp(pool);
    await pool.end();
    return server.urlFor(name);
  }

  /** Signs as an HA node `nodeId` on data directory `dir` would. */
  async function signAs(
    url: string,
    nodeId: string,
    dir: string,
    key: Hex,
    kind: 'block' | 'attestation',
    slot: bigint,
    d: Hex,
  ) {
    const db = await HaSigningDatabase.connect({ url, chainRoot: ROOT, nodeId });
    const store = await openKvStore({ dataDirectory: dir, name: NODE_STORE_NAME });
    try {
      return await new ProtectedSigner(key, new SlashingProtection(store, ROOT), { ha: db }).sign(kind, slot, d);
    } finally {
      await store.close();
      await db.close();
    }
  }

  it('exports what every node of the set signed plus the local history, with every keystore attester listed', async () => {
    const url = await freshDatabase();
    const [k1, k2, idle] = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const [dirA, dirB] = [join(tmp, 'a'), join(tmp, 'b')];
    await signAs(url, 'node-a', dirA, k1, 'block', 10n, digest(1));
    await signAs(url, 'node-b', dirB, k2, 'attestation', 10n, digest(1));
    // Signed on node A before HA was on: only in its data directory.
    const store = await openKvStore({ dataDirectory: dirA, name: NODE_STORE_NAME });
    new SlashingProtection(store, ROOT).checkAndRecord('attestation', privateKeyToAddress(k1), 4n, digest(4));
    await store.close();

    const doc = await exportSlashingProtection({ dataDirectory: dirA, haDatabaseUrl: url }, ROOT, [
      privateKeyToAddress(k1),
      privateKeyToAddress(k2),
      privateKeyToAddress(idle),
    ]);
    expect(doc.data).toEqual([
      {
        pubkey: privateKeyToAddress(k1),
        signed_blocks: [{ slot: '10', signing_root: digest(1) }],
        signed_attestations: [{ slot: '4', signing_root: digest(4) }],
      },
      {
        pubkey: privateKeyToAddress(k2),
        signed_blocks: [],
        signed_attestations: [{ slot: '10', signing_root: digest(1) }],
      },
      { pubkey: privateKeyToAddress(idle), signed_blocks: [], signed_attestations: [] },
    ]);

    // Into another set's database: no node there signs another digest for those duties, nor the same one again.
    const other = await freshDatabase();
    expect((await importSlashingProtection({ haDatabaseUrl: other }, ROOT, doc)).added).toBe(3);
    expect((await importSlashingProtection({ haDatabaseUrl: other }, ROOT, doc)).added).toBe(0);
    await expect(signAs(other, 'node-c', join(tmp, 'c'), k1, 'block', 10n, digest(9))).rejects.toMatchObject({
      code: 'HA_DUTY_TAKEN',
    });
    await expect(signAs(other, 'node-c', join(tmp, 'c'), k1, 'attestation', 4n, digest(4))).rejects.toMatchObject({
      code: 'HA_DUTY_TAKEN',
    });
    await expect(signAs(other, 'node-c', join(tmp, 'c'), k1, 'attestation', 11n, digest(11))).resolves.toBeDefined();

    // A document that contradicts the database is refused whole.
    const contradicting = structuredClone(doc);
    contradicting.data[1]!.signed_attestations[0]!.signing_root = digest(7);
    contradicting.data[2]!.signed_blocks.push({ slot: '30', signing_root: digest(30) });
    await expect(importSlashingProtection({ haDatabaseUrl: other }, ROOT, contradicting)).rejects.toMatchObject({
      code: 'INTERCHANGE_CONFLICT',
    });
    const db = await HaSigningDatabase.connect({ url: other, chainRoot: ROOT, nodeId: 'x' });
    expect(await db.get('block', privateKeyToAddress(idle), 30n)).toBeUndefined();
    await db.close();
  });
});
