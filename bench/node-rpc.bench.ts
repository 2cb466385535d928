// JSON-RPC hot reads against a local network's node while its sequencer builds blocks: node_getL2Tips (target:
// >= 0.8x a bare `node:http` server answering the same bytes, measured in the same run, and p99 <= 3 ms),
// node_getBlockNumber, node_getNodeInfo, node_getBlockHeader and node_getArchiveSiblingPath; requests/s, p50 and
// p99 with 8 kept-alive clients; then the node's RSS idle and while blocks are produced for BENCH_MINUTES (default 1).
// Run: [BENCH_MINUTES=10] [BENCH_ROUNDS=7] [BENCH_PHASE_MS=1500] npx tsx bench/node-rpc.bench.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { localNodeConfig } from '../src/cli/commands/start/local-network.js';
import { resolveAztecConfig } from '../src/cli/commands/start/parse.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { getFreePort } from '../src/foundation/net/free-port.js';
import { startAztecNode, type RunningNode } from '../src/node/aztec-node.js';
import { startLocalNetwork, type LocalNetwork } from '../src/node/local-network.js';
import { startLoadProcess, type LoadResult, type LoadTarget } from './helpers/keep-alive-load.js';

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 1_500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CONCURRENCY = 8;
const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 3;
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

  // The load: 8 kept-alive connections from a load generator in its own process, each sending the same request
  // (the same id) again as soon as its answer is in, while the sequencer keeps building blocks. The baseline is a
  // bare `node:http` server in this process (next to the node, sharing its event loop's neighbours) answering the
  // very bytes the node answers for `node_getL2Tips`, read once before the load. Phases alternate, ROUNDS each.
  const body = (method: string, params: unknown[] = []) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  const tipsBody = body('node_getL2Tips');
  const tipsBytes = await (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: tipsBody })
  ).text();
  const bare = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(tipsBytes) });
      res.end(tipsBytes);
    });
  });
  bare.keepAliveTimeout = 65_000;
  await new Promise<void>(resolve => bare.listen(0, '127.0.0.1', resolve));
  const rpcPort = Number(new URL(url).port);
  const targets: { name: string; target: LoadTarget }[] = [
    {
      name: 'bare node:http, the same bytes (baseline)',
      target: {
        host: '127.0.0.1',
        port: (bare.address() as AddressInfo).port,
        body: tipsBody,
        expectPrefix: tipsBytes,
      },
    },
    {
      name: 'node_getL2Tips',
      target: { host: '127.0.0.1', port: rpcPort, body: tipsBody, expectPrefix: '{"jsonrpc":"2.0","id":1,"result":{' },
    },
    {
      name: 'node_getBlockNumber',
      target: {
        host: '127.0.0.1',
        port: rpcPort,
        body: body('node_getBlockNumber'),
        expectPrefix: '{"jsonrpc":"2.0","id":1,"result":',
      },
    },
    {
      name: 'node_getNodeInfo',
      target: {
        host: '127.0.0.1',
        port: rpcPort,
        body: body('node_getNodeInfo'),
        expectPrefix: '{"jsonrpc":"2.0","id":1,"result":{',
      },
    },
    {
      name: 'node_getBlockHeader (latest)',
      target: {
        host: '127.0.0.1',
        port: rpcPort,
        body: body('node_getBlockHeader', ['latest']),
        expectPrefix: '{"jsonrpc":"2.0","id":1,"result":{',
      },
    },
    {
      name: 'node_getArchiveSiblingPath (latest, 1)',
      target: {
        host: '127.0.0.1',
        port: rpcPort,
        body: body('node_getArchiveSiblingPath', ['latest', 1]),
        expectPrefix: '{"jsonrpc":"2.0","id":1,"result":"',
      },
    },
  ];
  const loader = await startLoadProcess();
  const results = new Map<string, LoadResult[]>(targets.map(t => [t.name, []]));
  const ratios = new Map<string, number[]>(targets.map(t => [t.name, []]));
  const blocksBefore = await latest();
  const loadStart = performance.now();
  try {
    for (const { target } of targets) await loader.run(target, CONCURRENCY, 500); // warm-up: connections, JIT
    for (let round = 0; round < ROUNDS; round++) {
      let baselineRate = NaN;
      for (const { name, target } of targets) {
        const r = await loader.run(target, CONCURRENCY, PHASE_MS);
        results.get(name)!.push(r);
        if (Number.isNaN(baselineRate)) baselineRate = r.perSecond;
        ratios.get(name)!.push(r.perSecond / baselineRate);
      }
    }
  } finally {
    await loader.stop();
    await new Promise<void>(resolve => bare.close(() => resolve()));
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const blocksDuring = (await latest()) - blocksBefore;

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `${CONCURRENCY} kept-alive connections, one request in flight each, ${ROUNDS} rounds of ${PHASE_MS / 1000} s per ` +
      `target (alternating); load generator in its own process (raw sockets), node and baseline server in this one`,
  );
  console.log(
    `${blocksDuring} L2 blocks landed during the ${loadSeconds.toFixed(0)} s of load; medians over the rounds; ` +
      `ratio = req/s / the baseline's in the same round`,
  );
  for (const { name } of targets) {
    const rs = results.get(name)!;
    const rate = median(rs.map(r => r.perSecond));
    const p99 = median(rs.map(r => r.p99));
    const ratio = median(ratios.get(name)!);
    console.log(
      `${name.padEnd(42)} ${perSecond(rate)} req/s  p50 ${ms(median(rs.map(r => r.p50)))} ms  p99 ${ms(p99)} ms  ` +
        `${ratio.toFixed(2)}x baseline  (client CPU ${(median(rs.map(r => r.clientCpu)) * 100).toFixed(0)}% of a core)`,
    );
  }
  const tipsRatio = median(ratios.get('node_getL2Tips')!);
  const tipsP99 = median(results.get('node_getL2Tips')!.map(r => r.p99));
  console.log(
    `target node_getL2Tips: >= ${TARGET_RATIO}x baseline: ${tipsRatio.toFixed(2)}x ` +
      `(${(tipsRatio / TARGET_RATIO).toFixed(2)} of the target) ${tipsRatio >= TARGET_RATIO ? 'met' : 'NOT met'}; ` +
      `p99 <= ${TARGET_P99_MS} ms: ${tipsP99.toFixed(2)} ms ${tipsP99 <= TARGET_P99_MS ? 'met' : 'NOT met'}`,
  );

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
    `RSS of this process (the node runs in it, with the baseline server; the load generator runs in its own), BENCH_MINUTES=${MINUTES}` +
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
