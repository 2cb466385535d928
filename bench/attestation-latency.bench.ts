// Attestation latency for one node holding 1, 16 and 64 attesters: a proposer node gossips an (empty) block
// proposal over real libp2p on 127.0.0.1; the fleet node re-executes it once and attests with each of its attesters
// in the committee (every signature recorded in its LMDB slashing protection first); the time measured is the
// proposer's, from gossiping its proposal to holding the attestations of all of them (`P2PAttestationSource.collect`,
// quorum = the whole committee). Next to it, measured in the same run: the same fleet signing N attestations with
// no network and no re-execution (`ProtectedSigner.sign` N times on a fresh LMDB store), the part that grows with N.
// The only stand-in is the L1 read of the committee and proposer (a fixed `ValidatorEpochSource`, as in
// src/validator/validator-client.test.ts). Ratios: each N over N = 1, and each latency over its signing cost.
// Run: [BENCH_ATTESTERS=1,16,64] [BENCH_ROUNDS=5] npx tsx bench/attestation-latency.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { keccak256, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';

import { configureLogging } from '../src/foundation/log/index.js';
import { systemClock } from '../src/foundation/time/index.js';
import { asSlot, asUnixSeconds } from '../src/foundation/types/branded.js';
import { openKvStore } from '../src/kv/index.js';
import { startTestNode, TEST_NETWORK, waitFor, type TestNode } from '../src/p2p/testing/index.js';
import { buildBlock } from '../src/protocol/block/index.js';
import { TEST_CHAIN_ID, TEST_PORTAL, TEST_VERSION, testGlobals } from '../src/protocol/testing/index.js';
import { P2PAttestationSource } from '../src/validator/attestation-source.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from '../src/validator/slashing-protection.js';
import { ValidatorClient, type ValidatorEpochSource } from '../src/validator/validator-client.js';

const SIZES = (process.env.BENCH_ATTESTERS ?? '1,16,64').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

configureLogging({ level: 'error' });

const SLOT_DURATION = 600n;
const SLOT = asSlot(12n);
const nowS = BigInt(Math.floor(Date.now() / 1000));
// The clock is 10 s into SLOT, so the proposals are for the current slot.
const constants = {
  genesisTime: asUnixSeconds(nowS - SLOT * SLOT_DURATION - 10n),
  slotDuration: SLOT_DURATION,
  epochDuration: 4n,
};
const ROOT = chainIdentityRoot(TEST_CHAIN_ID, TEST_NETWORK.rollupAddress);
const CONFIG = { disabled: false, attestationsWaitTimeoutMs: 60_000, attestationsPollingIntervalMs: 5 };

function client(node: TestNode, keys: Hex[], epochCache: ValidatorEpochSource): ValidatorClient {
  const protection = new SlashingProtection(node.world.store, ROOT);
  const c = new ValidatorClient(
    {
      p2p: node.p2p,
      epochCache,
      constants,
      clock: systemClock,
      worldState: node.world.worldState,
      txPool: node.pool,
      l1ToL2Messages: () => [],
      l1ChainId: Number(TEST_CHAIN_ID),
      rollup: TEST_NETWORK.rollupAddress,
      rollupVersion: TEST_VERSION,
      feeJuicePortal: TEST_PORTAL,
      baseFees: () => testGlobals(0n).gasFees,
      signers: keys.map(k => new ProtectedSigner(k, protection)),
    },
    CONFIG,
  );
  c.start();
  return c;
}

/** One proposal to a fleet of `n` attesters on fresh nodes: ms from gossip to all `n + 1` attestations. */
async function round(n: number): Promise<number> {
  const nodes = await Promise.all([startTestNode(), startTestNode()]);
  const [proposerNode, fleetNode] = nodes;
  const clients: ValidatorClient[] = [];
  try {
    const proposerKey = generatePrivateKey();
    const proposer = privateKeyToAddress(proposerKey);
    const fleetKeys = Array.from({ length: n }, () => generatePrivateKey());
    const committee: Address[] = [proposer, ...fleetKeys.map(k => privateKeyToAddress(k))];
    const epochCache: ValidatorEpochSource = {
      getCommittee: () => Promise.resolve({ committee, quorum: committee.length }),
      getProposerAttester: () => Promise.resolve(proposer),
    };
    const proposerClient = client(proposerNode, [proposerKey], epochCache);
    clients.push(proposerClient, client(fleetNode, fleetKeys, epochCache));
    await proposerNode.p2p.dial(fleetNode.p2p.getMultiaddrs()[0]!);
    await waitFor('topic peers', () =>
      nodes.every(
        x => x.p2p.getTopicPeers('block_proposal').length === 1 && x.p2p.getTopicPeers('attestation').length === 1,
      ),
    );
    const fork = proposerNode.world.worldState.fork();
    let built;
    try {
      const globals = testGlobals(fork.baseBlockNumber + 1n, { slotNumber: SLOT });
      built = await buildBlock({
        fork,
        txs: [],
        globals,
        l1ToL2Messages: [],
        l1ChainId: TEST_CHAIN_ID,
        feeJuicePortal: TEST_PORTAL,
      });
    } finally {
      fork.discard();
    }
    const t0 = performance.now();
    const collected = await new P2PAttestationSource(proposerClient).collect({
      built: { ...built, failed: [] },
      proposer,
      committee,
      quorum: committee.length,
      deadline: new Date(Date.now() + 60_000),
    });
    const ms = performance.now() - t0;
    if ('reason' in collected) throw new Error(`no quorum with ${n} attesters: ${collected.reason}`);
    if (collected.attestations.length !== committee.length) {
      throw new Error(`expected ${committee.length} attestations, got ${collected.attestations.length}`);
    }
    return ms;
  } finally {
    for (const c of clients) c.stop();
    await Promise.all(nodes.map(x => x.stop()));
  }
}

/** ms to sign `n` attestations of one slot through slashing protection on a fresh LMDB store, no network. */
async function signOnly(n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const store = await openKvStore({ dataDirectory: dir, name: 'bench' });
  try {
    const protection = new SlashingProtection(store, ROOT);
    const signers = Array.from({ length: n }, () => new ProtectedSigner(generatePrivateKey(), protection));
    const digest = keccak256(toHex(`digest-${n}`));
    const t0 = performance.now();
    for (const s of signers) await s.sign('attestation', SLOT, digest);
    return performance.now() - t0;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);

const rows: { n: number; p50: number; max: number; sign: number }[] = [];
await round(1); // warm-up: module loading, first libp2p host
for (const n of SIZES) {
  const lat: number[] = [];
  const sign: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    lat.push(await round(n));
    sign.push(await signOnly(n));
  }
  rows.push({ n, p50: median(lat), max: max(lat), sign: median(sign) });
  console.log(
    `attesters ${String(n).padStart(3)}: proposal → all attestations p50 ${median(lat).toFixed(1)} ms ` +
      `(max ${max(lat).toFixed(1)}, ${ROUNDS} rounds); signing alone ${median(sign).toFixed(1)} ms ` +
      `(${(median(sign) / n).toFixed(2)} ms an attester)`,
  );
}
const base = rows.find(r => r.n === 1) ?? rows[0]!;
console.log('\nattesters | p50 ms | × N=1 | signing ms | latency − signing ms');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(9)} | ${r.p50.toFixed(1).padStart(6)} | ${(r.p50 / base.p50).toFixed(2).padStart(5)} | ` +
      `${r.sign.toFixed(1).padStart(10)} | ${(r.p50 - r.sign).toFixed(1).padStart(8)}`,
  );
}
