// L1 requests of a node, counted by an HTTP proxy in front of anvil (local preset: a block every 2 s), by JSON-RPC
// method and beacon path, per minute and per L1 block:
//   (a) a following node (`--archiver --node`, no validator key) while no one builds: target ≤ 3 per L1 block;
//   (b) the same node while another node builds blocks: eth_getLogs per new L1 block (target 1), and the delay from
//       an L2 block's L1 inclusion to it being stored on the following node (target: within one L1 block);
//   (c) that sequencer node (`--archiver --node --sequencer`), its own L1 traffic in the same window.
// Each node has its own proxy; beacon requests (the local L1 serves them at its RPC URL) go through it too. The bench
// watches the L1 head itself, on anvil directly (not counted), to count L1 blocks and time the follower.
// Run: [BENCH_IDLE_S=60] [BENCH_BUILD_S=64] npx tsx bench/l1-requests.bench.ts
import { setTimeout as sleep } from 'node:timers/promises';

import { localNodeConfig } from '../src/cli/commands/start/local-network.js';
import { resolveAztecConfig } from '../src/cli/commands/start/parse.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { getFreePort } from '../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../src/l1/clients.js';
import { startAztecNode, type NodeModules, type RunningNode } from '../src/node/aztec-node.js';
import type { AztecConfig } from '../src/node/config.js';
import { startLocalNetwork, type LocalNetwork } from '../src/node/local-network.js';
import { startFlakyL1, type FlakyL1 } from '../test/helpers/flaky-l1.js';

const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
const BUILD_S = Number(process.env.BENCH_BUILD_S ?? 64);
/** Requests per L1 block a following node may make at idle. */
const IDLE_TARGET = 3;

configureLogging({ level: 'warn' });

/** Requests by method (`GET /eth/v1/...` for beacon requests, ids stripped). */
class Counts {
  private map = new Map<string, number>();
  add(methods: string[], path: string): void {
    const keys =
      methods.length > 0 ? methods : [`GET ${path.split('?')[0]!.replace(/\/(0x[0-9a-f]+|\d+)(?=\/|$)/gi, '/:id')}`];
    for (const k of keys) this.map.set(k, (this.map.get(k) ?? 0) + 1);
  }
  reset(): void {
    this.map = new Map();
  }
  snapshot(): Map<string, number> {
    return new Map(this.map);
  }
}

async function countingProxy(target: string): Promise<{ proxy: FlakyL1; counts: Counts }> {
  const counts = new Counts();
  const proxy = await startFlakyL1(target, ({ methods, path }) => {
    counts.add(methods, path);
    return 'forward';
  });
  return { proxy, counts };
}

async function configOn(l1Port: number): Promise<AztecConfig> {
  const flags = {
    '--l1-rpc-urls': `http://127.0.0.1:${l1Port}`,
    '--port': String(await getFreePort()),
    '--admin-port': String(await getFreePort()),
    '--host': '127.0.0.1',
    '--log-level': 'warn',
  };
  return resolveAztecConfig({ flags, env: {} }, { defaultNetwork: 'local' }).config;
}

function report(title: string, counts: Map<string, number>, l1Blocks: number, seconds: number): number {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const perBlock = total / l1Blocks;
  console.log(`\n${title}: ${l1Blocks} L1 blocks in ${seconds.toFixed(0)} s`);
  console.log(`  ${'method'.padEnd(44)} ${'total'.padStart(6)} ${'/min'.padStart(7)} ${'/L1 block'.padStart(10)}`);
  for (const [method, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    const perMin = (n / seconds) * 60;
    console.log(
      `  ${method.padEnd(44)} ${String(n).padStart(6)} ${perMin.toFixed(1).padStart(7)} ${(n / l1Blocks).toFixed(2).padStart(10)}`,
    );
  }
  console.log(
    `  ${'all'.padEnd(44)} ${String(total).padStart(6)} ${((total / seconds) * 60).toFixed(1).padStart(7)} ${perBlock.toFixed(2).padStart(10)}`,
  );
  return perBlock;
}

const l1Port = await getFreePort();
let net: LocalNetwork | undefined;
const nodes: RunningNode[] = [];
const proxies: FlakyL1[] = [];
let watching = true;
let watcher: Promise<void> | undefined;
try {
  net = await startLocalNetwork((await configOn(l1Port)).l1, { validators: 1 });
  const anvilUrl = net.anvil.url;
  const addresses = net.deployment.addresses;
  const direct = createL1PublicClient({ rpcUrls: [anvilUrl], chainId: 31337 });
  // L1 head as the bench sees it (anvil directly, every 100 ms): when each L1 block first appeared.
  const firstSeen = new Map<bigint, number>();
  let head = 0n;
  watcher = (async () => {
    while (watching) {
      try {
        const n = await direct.getBlockNumber({ cacheTime: 0 });
        for (let b = head + 1n; b <= n; b++) if (!firstSeen.has(b)) firstSeen.set(b, performance.now());
        if (n > head) head = n;
      } catch {
        // anvil busy; next time
      }
      await sleep(100);
    }
  })();

  const nodeConfig = async (proxyUrl: string, validator: boolean): Promise<AztecConfig> => {
    const c = localNodeConfig(await configOn(l1Port), net!);
    return {
      ...c,
      l1: { ...c.l1, l1RpcUrls: [proxyUrl] },
      validator: validator ? c.validator : { ...c.validator, validatorPrivateKey: undefined },
    };
  };
  const start = async (proxyUrl: string, modules: NodeModules, validator: boolean) => {
    const node = await startAztecNode(await nodeConfig(proxyUrl, validator), modules, { l1Addresses: addresses });
    nodes.push(node);
    return node;
  };

  // (a) A following node, idle.
  const f = await countingProxy(anvilUrl);
  proxies.push(f.proxy);
  const follower = await start(f.proxy.url, { archiver: true, node: true, sequencer: false, proverNode: false }, false);
  await sleep(4_000); // start-up reads are not the steady state
  f.counts.reset();
  let from = head;
  let t0 = performance.now();
  await sleep(IDLE_S * 1000);
  const idleBlocks = Number(head - from);
  const idleSeconds = (performance.now() - t0) / 1000;
  const idle = report('(a) following node, idle', f.counts.snapshot(), idleBlocks, idleSeconds);

  // (b, c) A sequencer node builds; the follower follows.
  const s = await countingProxy(anvilUrl);
  proxies.push(s.proxy);
  const seen: { l2: bigint; l1Blocks: number; ms: number }[] = [];
  follower.archiver.subscribe(event => {
    if (event.type !== 'blocks-added') return;
    for (const b of event.blocks) {
      const inclusion = b.l1.l1BlockNumber;
      const at = firstSeen.get(inclusion);
      seen.push({
        l2: b.block.header.globalVariables.blockNumber,
        l1Blocks: Number(head - inclusion),
        ms: at === undefined ? NaN : performance.now() - at,
      });
    }
  });
  const sequencer = await start(s.proxy.url, { archiver: true, node: true, sequencer: true, proverNode: false }, true);
  const waitFrom = performance.now();
  while (follower.archiver.store.getLatestBlockNumber() < 1n) {
    if (performance.now() - waitFrom > 180_000) throw new Error('the follower saw no L2 block within 3 minutes');
    await sleep(200);
  }
  f.counts.reset();
  s.counts.reset();
  seen.length = 0;
  const l2From = follower.archiver.store.getLatestBlockNumber();
  from = head;
  t0 = performance.now();
  await sleep(BUILD_S * 1000);
  const buildBlocks = Number(head - from);
  const buildSeconds = (performance.now() - t0) / 1000;
  const followCounts = f.counts.snapshot();
  const following = report('(b) following node, another node building', followCounts, buildBlocks, buildSeconds);
  const seqCounts = s.counts.snapshot();
  const seq = report('(c) sequencer node (archiver, node, sequencer)', seqCounts, buildBlocks, buildSeconds);
  const l2Blocks = follower.archiver.store.getLatestBlockNumber() - l2From;
  const sequencerL2 = sequencer.archiver.store.getLatestBlockNumber();

  const sorted = [...seen].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)];
  const worst = sorted.at(-1);
  const maxL1 = Math.max(...seen.map(x => x.l1Blocks));
  console.log(`\nL2 blocks while building: ${l2Blocks} seen by the follower (sequencer at block ${sequencerL2})`);
  console.log(
    `  L1 inclusion → stored on the follower: median ${median?.ms.toFixed(0)} ms, worst ${worst?.ms.toFixed(0)} ms; ` +
      `L1 blocks after the inclusion block at that moment: at most ${maxL1} (target: ≤ 1; 0 = before the next one)`,
  );
  console.log(
    `  per block (L2 block: L1 blocks later, ms): ${seen.map(x => `${x.l2}: ${x.l1Blocks}, ${x.ms.toFixed(0)}`).join('; ')}`,
  );

  const getLogs = (followCounts.get('eth_getLogs') ?? 0) / buildBlocks;
  console.log('\nsummary (per L1 block)');
  console.log(
    `  (a) following node, idle:     ${idle.toFixed(2)} = ${(idle / IDLE_TARGET).toFixed(2)}× the target of ${IDLE_TARGET}`,
  );
  console.log(
    `  (b) following node, building: ${following.toFixed(2)} = ${(following / IDLE_TARGET).toFixed(2)}× ${IDLE_TARGET}; ` +
      `eth_getLogs ${getLogs.toFixed(2)} (target 1)`,
  );
  console.log(`  (c) sequencer node:           ${seq.toFixed(2)} (no target; its own publishing included)`);
} finally {
  watching = false;
  await watcher;
  for (const n of nodes.reverse()) await n.stop();
  for (const p of proxies) await p.stop();
  await net?.stop();
}
