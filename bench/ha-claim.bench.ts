// The HA signing claim round trip (the INSERT … ON CONFLICT a node makes before each signature, won and lost)
// against a real local PostgreSQL (initdb into a temporary folder, a free 127.0.0.1 port), p50/p99, next to a bare
// `SELECT 1` on the same pool measured in the same run: the ratio is the claim's cost over the network round trip.
// Also a whole `ProtectedSigner.sign` with HA (claim, local LMDB record, secp256k1 signature, signature recorded).
// Run: npx tsx bench/ha-claim.bench.ts [round trips per measurement]
import { keccak256, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';

import { configureLogging } from '../src/foundation/log/index.js';
import { postgresAvailability, startPostgres } from '../src/foundation/testing/postgres-server.js';
import { openKvStore } from '../src/kv/index.js';
import { HaSigningDatabase, migrateUp, openHaPool } from '../src/validator/ha/index.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from '../src/validator/slashing-protection.js';

const N = Number(process.argv[2] ?? 2_000);
const ROOT = chainIdentityRoot(31337, '0x00000000000000000000000000000000000a11ce');

configureLogging({ level: 'warn' });

function quantiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(100, n); i++) await fn(-1 - i); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

const avail = postgresAvailability();
if (!avail.available) {
  console.error(`ha-claim bench: ${avail.reason}`);
  process.exit(1);
}
const server = await startPostgres(avail.bin);
try {
  const pool = openHaPool(server.url);
  await migrateUp(pool);
  await pool.end();
  // Durability as a production server has it (the harness turns it off for tests): a claim waits for its commit.
  const admin = openHaPool(server.url, 1);
  await admin.query('ALTER SYSTEM SET synchronous_commit = on');
  await admin.query('SELECT pg_reload_conf()');
  await admin.end();

  const a = await HaSigningDatabase.connect({ url: server.url, chainRoot: ROOT, nodeId: 'node-a' });
  const b = await HaSigningDatabase.connect({ url: server.url, chainRoot: ROOT, nodeId: 'node-b' });
  const attester = privateKeyToAddress(generatePrivateKey());
  const digest = (i: number): Hex => keccak256(toHex(i));

  const select1 = await time(N, () => a.ping());
  const won = await time(N, i => a.claim('attestation', attester, BigInt(1_000_000 + i), digest(i)));
  // The other node of the set, losing each of those duties: the INSERT that conflicts, then the read of the row.
  const lost = await time(N, i => b.claim('attestation', attester, BigInt(1_000_000 + i), digest(i)));
  const store = await openKvStore({ name: 'bench' });
  const key = generatePrivateKey();
  const signer = new ProtectedSigner(key, new SlashingProtection(store, ROOT), { ha: a });
  const signed = await time(N, i => signer.sign('attestation', BigInt(2_000_000 + i), digest(i)));
  await store.close();
  await a.close();
  await b.close();

  const base = quantiles(select1);
  const fmt = (x: number) => x.toFixed(3).padStart(8);
  console.log(
    `HA claim round trip on PostgreSQL (${server.url.replace(/^.*@/, '')}), ${N} each, synchronous_commit on`,
  );
  console.log(`${'measurement'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  p50 / SELECT 1`);
  for (const [name, samples] of [
    ['SELECT 1 (baseline)', select1],
    ['claim won (INSERT)', won],
    ['claim lost (INSERT + SELECT)', lost],
    ['sign with HA (claim+LMDB+sig+UPDATE)', signed],
  ] as const) {
    const q = quantiles(samples);
    console.log(`${name.padEnd(34)} ${fmt(q.p50)} ${fmt(q.p99)}  ${(q.p50 / base.p50).toFixed(2).padStart(6)}×`);
  }
} finally {
  await server.stop();
}
