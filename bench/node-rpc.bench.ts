// node_getL2Tips and node_getArchiveSiblingPath latency (p50/p99) and requests/s against a local network's node,
// next to a trivial `GET /status` under the same load in the same run; then the node's RSS idle and while blocks
// are produced for BENCH_MINUTES (default 1; the issue asks for 10).
// Run: [BENCH_MINUTES=10] npx tsx bench/node-rpc.bench.ts [requests per method]
import { setTimeout as sleep } from 'node:timers/promises';

import { localNodeConfig } from '../src/cli/commands/start/local-network.js';
import { resolveAztecConfig } from '../src/cli/commands/start/parse.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { getFreePort } from '../src/foundation/net/free-port.js';
import { startAztecNode, type RunningNode } from '../src/node/aztec-node.js';
import { startLocalNetwork, type LocalNetwork } from '../src/node/local-network.js';

const K = Number(process.argv[2] ?? 5_000);
const CONCURRENCY = 8;
const MINUTES = Number(process.env.BENCH_MINUTES ?? 1);
const SAMPLE_MS = 10_000;
/** Blocks to wait for before measuring (so the archive tree has a few leaves). */
const MIN_BLOCKS = 3;

configureLogging({ level: 'warn' });

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1).padStart(7)} MiB`;
const ms = (x: number) => x.toFixed(2).padStart(7);
const perSecond = (x: number) => Math.round(x).toLocaleString('en-US').padStart(7);

/** Distinct free loopback ports. */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await getFreePort());
  return [...ports];
}

let nextId = 1;
async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error || body.result === undefined) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
  return body.result;
}

interface Load {
  p50: number;
  p99: number;
  perSecond: number;
}

/** `count` requests, `CONCURRENCY` in flight; every answer is read in full and checked. */
async function load(count: number, request: (i: number) => Promise<void>): Promise<Load> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      await request(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = performance.now() - start;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), perSecond: count / (elapsed / 1000) };
}

const [l1Port, port, adminPort] = await freePorts(3);
const { config } = resolveAztecConfig(
  {
    flags: {
      '--l1-rpc-urls': `http://127.0.0.1:${l1Port}`,
      '--port': String(port),
      '--admin-port': String(adminPort),
      '--host': '127.0.0.1',
      '--log-level': 'warn',
    },
    env: {},
  },
  { defaultNetwork: 'local' },
);

// Ctrl-C ends the soak early and still stops the node and anvil.
const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort());
const pause = (delay: number) => sleep(delay, undefined, { signal: interrupted.signal }).catch(() => undefined);

let net: LocalNetwork | undefined;
let node: RunningNode | undefined;
try {
  const startedAt = performance.now();
  net = await startLocalNetwork(config.l1, { validators: 1 });
  node = await startAztecNode(
    localNodeConfig(config, net),
    { node: true, archiver: true, sequencer: true, proverNode: true },
    { l1Addresses: net.deployment.addresses },
  );
  const rssIdle = process.memoryUsage().rss;
  const url = node.rpcUrl;
  const latest = async () => (await rpc<{ latest: { number: number } }>(url, 'node_getL2Tips', [])).latest.number;
  console.log(`local network and node up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s at ${url}`);

  const waitStart = performance.now();
  while ((await latest()) < MIN_BLOCKS) {
    if (interrupted.signal.aborted) throw new Error('interrupted');
    if (performance.now() - waitStart > 180_000) throw new Error(`no ${MIN_BLOCKS} blocks within 3 minutes`);
    await pause(500);
  }
  const blocksAtLoad = await latest();
  console.log(`block ${blocksAtLoad} reached after ${((performance.now() - waitStart) / 1000).toFixed(1)} s`);

  const status = async () => {
    const res = await fetch(`${url}/status`);
    if ((await res.text()) !== 'OK\n') throw new Error(`GET /status: ${res.status}`);
  };
  const tips = async () => {
    await rpc(url, 'node_getL2Tips', []);
  };
  const siblingPath = async (i: number) => {
    await rpc(url, 'node_getArchiveSiblingPath', ['latest', i % (blocksAtLoad + 1)]);
  };

  await load(200, status); // warm-up: connections, JIT
  await load(200, tips);
  await load(200, siblingPath);
  const statusBefore = await load(K, status);
  const tipsLoad = await load(K, tips);
  const pathLoad = await load(K, siblingPath);
  const statusAfter = await load(K, status);
  const baseline: Load = {
    p50: (statusBefore.p50 + statusAfter.p50) / 2,
    p99: (statusBefore.p99 + statusAfter.p99) / 2,
    perSecond: (statusBefore.perSecond + statusAfter.perSecond) / 2,
  };
  const row = (name: string, l: Load) =>
    console.log(
      `${name.padEnd(44)} p50 ${ms(l.p50)} ms  p99 ${ms(l.p99)} ms  ${perSecond(l.perSecond)} req/s  ` +
        `${(l.perSecond / baseline.perSecond).toFixed(2)}x /status`,
    );
  console.log(`${K} requests per method, ${CONCURRENCY} in flight (fetch, keep-alive; client and node in one process)`);
  row('GET /status (baseline, mean of 2 runs)', baseline);
  console.log(
    `${''.padEnd(44)} (before: ${perSecond(statusBefore.perSecond)} req/s, after: ${perSecond(statusAfter.perSecond)} req/s)`,
  );
  row('node_getL2Tips', tipsLoad);
  row(`node_getArchiveSiblingPath (latest, 0..${blocksAtLoad})`, pathLoad);

  const soakStartBlock = await latest();
  const soakStart = performance.now();
  const rssAfterLoad = process.memoryUsage().rss;
  let rssMax = rssAfterLoad;
  const samples: number[] = [];
  while (performance.now() - soakStart < MINUTES * 60_000 && !interrupted.signal.aborted) {
    await pause(Math.min(SAMPLE_MS, MINUTES * 60_000 - (performance.now() - soakStart)));
    const rss = process.memoryUsage().rss;
    samples.push(rss);
    rssMax = Math.max(rssMax, rss);
  }
  const soakMinutes = (performance.now() - soakStart) / 60_000;
  const finalBlock = await latest();
  const rssFinal = process.memoryUsage().rss;
  rssMax = Math.max(rssMax, rssFinal);

  console.log(
    `RSS of this process (the node runs in it, next to the benchmark client), BENCH_MINUTES=${MINUTES}` +
      `${process.env.BENCH_MINUTES === undefined ? ' (default; the issue asks for 10)' : ''}` +
      `${interrupted.signal.aborted ? `, interrupted after ${soakMinutes.toFixed(1)} min` : ''}`,
  );
  console.log(`  ${'idle, right after start (before blocks)'.padEnd(42)} ${mib(rssIdle)}`);
  console.log(`  ${'after the request load (soak start)'.padEnd(42)} ${mib(rssAfterLoad)}`);
  console.log(`  ${`max over ${samples.length} samples (every ${SAMPLE_MS / 1000} s)`.padEnd(42)} ${mib(rssMax)}`);
  console.log(`  ${`final, after ${soakMinutes.toFixed(1)} min of blocks`.padEnd(42)} ${mib(rssFinal)}`);
  console.log(
    `blocks produced: ${finalBlock - soakStartBlock} during the ${soakMinutes.toFixed(1)} min soak, ${finalBlock} since start`,
  );
} finally {
  await node?.stop();
  await net?.stop();
}
