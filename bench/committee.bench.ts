// Proposal → quorum latency (p50/p99/max) and gossip bytes per block for a committee of 4 and of 8 validators on
// loopback: a local L1 (8 s slots) with N genesis validators and a committee of N, and N nodes in this process, each
// with its own key, archiver, sequencer, validator client and libp2p host on 127.0.0.1 (the first node's ENR is the
// others' bootstrap node). Latency is each proposer's time from gossiping its proposal to holding the quorum
// (its `Collected attestations` lines, checked against the aztec_sequencer_proposal_quorum_seconds histogram);
// bytes come from the nodes' aztec_p2p_gossip_* counters. The N=8 / N=4 ratios are the baseline.
// Run: [BENCH_SLOTS=10] [BENCH_VALIDATORS=4,8] [BENCH_POLL_MS=10] npx tsx bench/committee.bench.ts
import { setTimeout as sleep } from 'node:timers/promises';

import { localNodeConfig } from '../src/cli/commands/start/local-network.js';
import { resolveAztecConfig } from '../src/cli/commands/start/parse.js';
import { RollupContract, type RollupEpochConstants } from '../src/l1/contracts/rollup.js';
import { createRpcClient } from '../src/foundation/json-rpc/index.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { getFreePort } from '../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../src/l1/clients.js';
import { devAccount } from '../src/l1/dev-accounts.js';
import { nodeApiSchema } from '../src/node/api/schema.js';
import { startAztecNode, type RunningNode } from '../src/node/aztec-node.js';
import type { AztecConfig } from '../src/node/config.js';
import { startLocalNetwork, type LocalNetwork } from '../src/node/local-network.js';

/** Slots measured per committee size, after the network is up and has a first block. */
const SLOTS = Number(process.env.BENCH_SLOTS ?? 10);
const SIZES = (process.env.BENCH_VALIDATORS ?? '4,8').split(',').map(Number);
/** How often a proposer checks its attestation pool; the default (200 ms) would round every latency up to it. */
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 10);
const TOPICS = ['block_proposal', 'attestation', 'tx'] as const;

/** Every proposer's `Collected attestations` line (the process-wide log sink sees all the nodes). */
const collected: { slot: bigint; ms: number }[] = [];
/** By slot: when its proposal was gossiped, and when each other committee member signed its attestation. */
const gossipedAt = new Map<bigint, number>();
const attestedAt = new Map<bigint, number[]>();
configureLogging({
  level: 'warn;info:validator',
  json: true,
  sink: line => {
    const l = JSON.parse(line) as { level: string; time: string; msg: string; slot?: string; quorumMs?: number };
    const slot = l.slot === undefined ? undefined : BigInt(l.slot);
    if (slot !== undefined && l.msg === 'Collected attestations' && l.quorumMs !== undefined) {
      collected.push({ slot, ms: l.quorumMs });
    } else if (slot !== undefined && l.msg === 'Gossiped block proposal') {
      gossipedAt.set(slot, Date.parse(l.time));
    } else if (slot !== undefined && l.msg === 'Attested a block proposal') {
      attestedAt.set(slot, [...(attestedAt.get(slot) ?? []), Date.parse(l.time)]);
    } else if (l.level === 'warn' || l.level === 'error') process.stderr.write(line + '\n');
  },
});

// Ctrl-C ends the run early and still stops every node and anvil.
const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort());
const pause = (ms: number) => sleep(Math.max(0, ms), undefined, { signal: interrupted.signal });

/** Distinct free loopback ports. */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await getFreePort());
  return [...ports];
}

/** The local network's settings with a committee of `committee`, L1 on `l1Port`, and the node's API ports. */
function configOn(l1Port: number, committee: number, ports?: { port: number; adminPort: number }): AztecConfig {
  const flags = {
    '--l1-rpc-urls': `http://127.0.0.1:${l1Port}`,
    '--host': '127.0.0.1',
    ...(ports ? { '--port': String(ports.port), '--admin-port': String(ports.adminPort) } : {}),
  };
  const env = { AZTEC_TARGET_COMMITTEE_SIZE: String(committee) };
  return resolveAztecConfig({ flags, env }, { defaultNetwork: 'local' }).config;
}

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await pause(250);
  }
}

/** The sum over `nodes` of every series, keyed `metric{topic}` (histograms by their `_count` / `_sum` series). */
async function sample(nodes: readonly RunningNode[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const node of nodes) {
    for (const metric of await node.metrics.getMetricsAsJSON()) {
      for (const v of metric.values as { value: number; labels: Record<string, unknown>; metricName?: string }[]) {
        if (v.labels['code'] !== undefined && v.value === 0) continue;
        const topic = v.labels['topic'];
        const key = `${v.metricName ?? metric.name}${typeof topic === 'string' ? `{${topic}}` : ''}`;
        out.set(key, (out.get(key) ?? 0) + v.value);
      }
    }
  }
  return out;
}

const delta = (a: Map<string, number>, b: Map<string, number>, key: string) => (b.get(key) ?? 0) - (a.get(key) ?? 0);

/** Nearest-rank percentile of sorted values. */
const pct = (sorted: readonly number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;

/**
 * Starts the node of validator `i` (P2P on 127.0.0.1, bootstrapping from `boot`). A port taken between choosing and
 * binding it (other processes share the machine) is chosen again.
 */
async function startNode(net: LocalNetwork, l1Port: number, i: number, boot: string | undefined): Promise<RunningNode> {
  const n = net.validators.length;
  for (let attempt = 1; ; attempt++) {
    const [port, adminPort, p2pPort] = await freePorts(3);
    const c = localNodeConfig(configOn(l1Port, n, { port: port!, adminPort: adminPort! }), net);
    const config: AztecConfig = {
      ...c,
      validator: {
        ...c.validator,
        validatorPrivateKey: devAccount(net.validators[i]!.accountIndex).privateKey,
        attestationsPollingIntervalMs: POLL_MS,
      },
      p2p: {
        ...c.p2p,
        enabled: true,
        p2pIp: '127.0.0.1',
        p2pPort: p2pPort!,
        listenAddress: '127.0.0.1',
        bootstrapNodes: boot ? [boot] : [],
      },
    };
    // The first node also proves, so the unproven chain is not pruned during a long run.
    const modules = { node: true, archiver: true, sequencer: true, proverNode: i === 0 };
    try {
      return await startAztecNode(config, modules, { l1Addresses: net.deployment.addresses });
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('EADDRINUSE')) throw err;
      console.error(`node ${i + 1}: a port was taken meanwhile; trying others`);
    }
  }
}

interface Result {
  n: number;
  quorum: number;
  slots: number;
  blocks: number;
  latencies: number[];
  histogramCount: number;
  histogramMeanMs: number;
  givenUp: number;
  /** Medians over the slots of when (ms after the proposal was gossiped) the first, the quorum-th (counting the
   * proposer's own) and the last of the other members signed their attestation. */
  attestedMs: { first: number; quorum: number; last: number };
  /** Per topic: bytes and messages received over all nodes, and bytes published, each per block. */
  perBlock: Record<(typeof TOPICS)[number], { received: number; messages: number; published: number }>;
}

async function run(n: number): Promise<Result> {
  // Each network counts slots from its own genesis: forget the previous run's lines.
  collected.length = 0;
  gossipedAt.clear();
  attestedAt.clear();
  const [l1Port] = await freePorts(1);
  const base = configOn(l1Port!, n);
  let net: LocalNetwork | undefined;
  const nodes: RunningNode[] = [];
  try {
    const t0 = performance.now();
    net = await startLocalNetwork(base.l1, { validators: n });
    const l1 = createL1PublicClient({ rpcUrls: [net.anvil.url], chainId: base.l1.l1ChainId });
    const constants: RollupEpochConstants = await new RollupContract(
      l1,
      net.deployment.addresses.rollup,
    ).getConstants();
    if (constants.targetCommitteeSize !== n) throw new Error(`committee size is ${constants.targetCommitteeSize}`);
    for (let i = 0; i < n; i++) {
      const boot = nodes[0] && (await createRpcClient(nodes[0].rpcUrl, 'node', nodeApiSchema).getEncodedEnr());
      if (nodes[0] && !boot) throw new Error('the first node has no ENR');
      nodes.push(await startNode(net, l1Port!, i, boot ?? undefined));
    }
    const peers = async () => {
      const s = await Promise.all(nodes.map(node => sample([node])));
      return s.map(m => m.get('aztec_p2p_connected_peers') ?? 0);
    };
    await until(
      `every node connected to the other ${n - 1}`,
      async () => Math.min(...(await peers())) >= n - 1,
      90_000,
    );
    const chain = nodes[0]!.archiver.store;
    await until('a first block', () => chain.getLatestBlockNumber() >= 1n, 180_000);
    console.log(
      `N=${n}: L1, contracts and ${n} nodes up, fully connected, first block after ` +
        `${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );

    // Proposals for slot s are gossiped from about 2 s before it starts; mid-slot (start + 4 s) is quiet, so
    // snapshots there split the counters by slot.
    const slotStartMs = (s: bigint) => Number(constants.genesisTime + s * constants.slotDuration) * 1000;
    const mid = Number(constants.slotDuration) * 500;
    const current = BigInt(
      Math.floor((Date.now() / 1000 - Number(constants.genesisTime)) / Number(constants.slotDuration)),
    );
    const from = current + 2n;
    const to = from + BigInt(SLOTS) - 1n;
    await pause(slotStartMs(from - 1n) + mid - Date.now());
    const before = await sample(nodes);
    await pause(slotStartMs(to) + mid - Date.now());
    const after = await sample(nodes);
    const served = await (await fetch(`${nodes[0]!.rpcUrl}/metrics`)).text();
    const names = [...served.matchAll(/^# HELP (aztec_\w+)/gm)].map(m => m[1]);
    console.log(`N=${n}: GET /metrics on the first node serves ${names.length} aztec_ metrics: ${names.join(', ')}`);
    // The last block reaches L1 before its slot ends; give the archiver a moment after that.
    await pause(slotStartMs(to + 1n) + 3_000 - Date.now());

    let blocks = 0;
    for (let b = chain.getLatestBlockNumber(); b >= 1n; b--) {
      const slot = chain.getPublishedBlock(b)!.block.header.globalVariables.slotNumber;
      if (slot < from) break;
      if (slot <= to) blocks++;
    }
    const latencies = collected
      .filter(c => c.slot >= from && c.slot <= to)
      .map(c => c.ms)
      .sort((a, b) => a - b);
    const quorum = Math.floor((2 * n) / 3) + 1;
    const offsets: number[][] = [];
    for (let s = from; s <= to; s++) {
      const at = gossipedAt.get(s);
      const signed = attestedAt.get(s);
      if (at !== undefined && signed) offsets.push(signed.map(t => t - at).sort((a, b) => a - b));
    }
    const median = (pick: (o: number[]) => number | undefined) =>
      pct(
        offsets
          .map(pick)
          .filter((x): x is number => x !== undefined)
          .sort((a, b) => a - b),
        0.5,
      );
    const count = delta(before, after, 'aztec_sequencer_proposal_quorum_seconds_count');
    const sum = delta(before, after, 'aztec_sequencer_proposal_quorum_seconds_sum');
    const perBlock = Object.fromEntries(
      TOPICS.map(t => [
        t,
        {
          received: delta(before, after, `aztec_p2p_gossip_received_bytes_total{${t}}`) / blocks,
          messages: delta(before, after, `aztec_p2p_gossip_received_messages_total{${t}}`) / blocks,
          published: delta(before, after, `aztec_p2p_gossip_published_bytes_total{${t}}`) / blocks,
        },
      ]),
    ) as Result['perBlock'];
    return {
      n,
      quorum,
      slots: SLOTS,
      blocks,
      latencies,
      histogramCount: count,
      histogramMeanMs: count > 0 ? (sum / count) * 1000 : NaN,
      givenUp: delta(before, after, 'aztec_sequencer_slots_without_quorum_total'),
      attestedMs: { first: median(o => o[0]), quorum: median(o => o[quorum - 2]), last: median(o => o.at(-1)) },
      perBlock,
    };
  } finally {
    for (const node of nodes.reverse()) await node.stop().catch((err: unknown) => console.error('stop failed', err));
    await net?.stop();
  }
}

const ms = (x: number) => `${Math.round(x).toString().padStart(5)} ms`;
const bytes = (x: number) => `${Math.round(x).toLocaleString('en-US').padStart(7)} B`;

const results: Result[] = [];
for (const n of SIZES) {
  if (interrupted.signal.aborted) break;
  results.push(await run(n));
}

console.log();
console.log(
  `Committee on loopback, ${SLOTS} slots of 8 s per size (BENCH_SLOTS), committee = all N validators, ` +
    `attestation pool polled every ${POLL_MS} ms (BENCH_POLL_MS), empty blocks (no tx traffic)`,
);
for (const r of results) {
  const l = r.latencies;
  console.log();
  console.log(`N=${r.n} validators (quorum ${r.quorum}): ${r.blocks} blocks in ${r.slots} slots`);
  console.log(
    `  proposal → quorum    p50 ${ms(pct(l, 0.5))}  p99 ${ms(pct(l, 0.99))}  max ${ms(pct(l, 1))}  ` +
      `over ${l.length} proposals`,
  );
  console.log(
    `  histogram (/metrics) count ${r.histogramCount}, mean ${ms(r.histogramMeanMs)}; ` +
      `slots given up without a quorum: ${r.givenUp}`,
  );
  console.log(
    `  attestations signed  first ${ms(r.attestedMs.first)}, quorum-th ${ms(r.attestedMs.quorum)}, ` +
      `last ${ms(r.attestedMs.last)} after the proposal (medians; log times, 1 ms resolution)`,
  );
  console.log('  gossip per block     received, all nodes   received, per node   messages received   published');
  for (const t of TOPICS) {
    const p = r.perBlock[t];
    console.log(
      `    ${t.padEnd(18)} ${bytes(p.received).padStart(19)}   ${bytes(p.received / r.n).padStart(18)}   ` +
        `${p.messages.toFixed(1).padStart(17)}   ${bytes(p.published).padStart(9)}`,
    );
  }
  const total = TOPICS.reduce((s, t) => s + r.perBlock[t].received, 0);
  console.log(`    ${'total'.padEnd(18)} ${bytes(total).padStart(19)}   ${bytes(total / r.n).padStart(18)}`);
}
const [small, large] = [results.find(r => r.n === 4), results.find(r => r.n === 8)];
if (small && large) {
  const total = (r: Result) => TOPICS.reduce((s, t) => s + r.perBlock[t].received, 0);
  console.log();
  console.log(
    `Baseline N=8 / N=4: latency p50 ${(pct(large.latencies, 0.5) / pct(small.latencies, 0.5)).toFixed(2)}x, ` +
      `p99 ${(pct(large.latencies, 0.99) / pct(small.latencies, 0.99)).toFixed(2)}x; gossip bytes per block ` +
      `${(total(large) / total(small)).toFixed(2)}x over all nodes, ` +
      `${(total(large) / 8 / (total(small) / 4)).toFixed(2)}x per node`,
  );
}
console.log(
  '(all nodes share this process and its one event loop, so the members re-execute a proposal one after another)',
);
console.log(
  '(received = distinct gossip messages before validation; gossipsub duplicates and control frames are not counted)',
);
