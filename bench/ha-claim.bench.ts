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

/**
 * Times each of `fns` `n` times, interleaved (i-th call of each, then the next i), so that the load of a shared
 * machine falls on all of them alike; after a warm-up on indexes not measured.
 */
async function timeInterleaved(n: number, fns: readonly ((i: number) => Promise<unknown>)[]): Promise<number[][]> {
  for (let i = 0; i < Math.min(100, n); i++) for (const fn of fns) await fn(n + i);
  const out = fns.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [k, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn(i);
      out[k]!.push(performance.now() - t0);
    }
  }
  return out;
}

const avail = postgresAvailability();
if (!avail.available) {
  console.error(`ha-claim bench: ${avail.reason}`);
  process.exit(1);
}
// Durable, as a production server is (fsync, synchronous commit): a won claim waits for its WAL flush.
const server = await startPostgres(avail.bin, { durable: true });
try {
  const pool = openHaPool(server.url);
  await migrateUp(pool);
  await pool.end();

  const a = await HaSigningDatabase.connect({ url: server.url, chainRoot: ROOT, nodeId: 'node-a' });
  const b = await HaSigningDatabase.connect({ url: server.url, chainRoot: ROOT, nodeId: 'node-b' });
  const attester = privateKeyToAddress(generatePrivateKey());
  const digest = (i: number): Hex => keccak256(toHex(i));

  // A temporary LMDB store, as a node without DATA_DIRECTORY has.
  const store = await openKvStore({ name: 'bench' });
  const signer = new ProtectedSigner(generatePrivateKey(), new SlashingProtection(store, ROOT), { ha: a });
  // The same without HA: what the claim adds to a signature.
  const local = new ProtectedSigner(generatePrivateKey(), new SlashingProtection(store, ROOT));
  const [select1, won, lost, signed, unshared] = await timeInterleaved(N, [
    () => a.ping(),
    i => a.claim('attestation', attester, BigInt(1_000_000 + i), digest(i)),
    // The other node of the set, losing the duty just won: the INSERT that conflicts, then the read of the row.
    i => b.claim('attestation', attester, BigInt(1_000_000 + i), digest(i)),
    i => signer.sign('attestation', BigInt(2_000_000 + i), digest(i)),
    i => local.sign('attestation', BigInt(3_000_000 + i), digest(i)),
  ]);
  await store.close();
  await a.close();
  await b.close();

  const base = quantiles(select1!);
  const fmt = (x: number) => x.toFixed(3).padStart(8);
  console.log(
    `HA claim round trip on PostgreSQL (${server.url.replace(/^.*@/, '')}), ${N} each, fsync and synchronous_commit on`,
  );
  console.log(`${'measurement'.padEnd(38)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  p50 / SELECT 1`);
  for (const [name, samples] of [
    ['SELECT 1 (baseline)', select1],
    ['claim won (INSERT)', won],
    ['claim lost (INSERT + SELECT)', lost],
    ['sign with HA (claim+LMDB+sig+UPDATE)', signed],
    ['sign without HA (LMDB+sig)', unshared],
  ] as const) {
    const q = quantiles(samples ?? []);
    console.log(`${name.padEnd(38)} ${fmt(q.p50)} ${fmt(q.p99)}  ${(q.p50 / base.p50).toFixed(2).padStart(6)}×`);
  }
} finally {
  await server.stop();
}
