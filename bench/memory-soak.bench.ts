// Memory soak: the compiled `aztec start --local-network` (its own data directory, free ports) with traffic (a funded
// L2 account sends txs every slot), and a following node (`aztec start --network local --archiver --node`, the
// README's command) in another process. Samples each node process's RSS (/proc/<pid>/status VmRSS; anvil, a child of
// the local network's process, is printed apart and left out of the node figures) and its V8 heap (from /metrics)
// every minute (30 s in the short run), then prints:
//   growth after the warm-up (median of the last 3 samples over the median of the first 3 after it)  target ≤ 10%
//   the follower's largest RSS                                                                        target ≤ 200 MB
// Short run (`npm run bench`): 6 minutes, warm-up the first third. Long run (`--long` / BENCH_LONG=1): 60 minutes,
// warm-up the first 10. BENCH_SOAK_MINUTES overrides the length; BENCH_SOAK_TXS the txs sent each slot (default 4).
// Run: npx tsx bench/memory-soak.bench.ts   (needs dist/: `npm run build:ts`)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { FeeJuiceAccount } from '../src/cli/traffic/fee-juice-account.js';
import { createRpcClient } from '../src/foundation/json-rpc/index.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { getFreePort } from '../src/foundation/net/free-port.js';
import { createL1PublicClient, createL1WalletClient } from '../src/l1/clients.js';
import { FeeAssetContract } from '../src/l1/contracts/index.js';
import { devAccount } from '../src/l1/dev-accounts.js';
import { nodeApiSchema } from '../src/node/api/schema.js';
import { frToHex, type Fr } from '../src/types/fr.js';
import { txToJSON } from '../src/types/tx-json.js';

const LONG = process.env.BENCH_LONG === '1';
const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? (LONG ? 60 : 6));
const SAMPLE_MS = LONG ? 60_000 : 30_000;
const WARMUP_MS = LONG ? 10 * 60_000 : (MINUTES * 60_000) / 3;
const TXS_PER_SLOT = Number(process.env.BENCH_SOAK_TXS ?? 4);
const GROWTH_BOUND = 0.1;
const FOLLOWER_BOUND_BYTES = 200e6;

configureLogging({ level: 'warn' });
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
// Our settings only from the flags below, whatever the machine's environment says.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      e[1] !== undefined &&
      !/^(ETHEREUM_|L1_|VALIDATOR_|SEQ_|P2P_|AZTEC_|ARCHIVER_|NETWORK|LOG_|BOOTNODE_|DATA_)/.test(e[0]),
  ),
);

const mib = (bytes: number | undefined) => (bytes === undefined ? '      –' : (bytes / 2 ** 20).toFixed(1).padStart(7));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Distinct free loopback ports. */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await getFreePort());
  return [...ports];
}

/** VmRSS of a process in bytes, or undefined once it is gone. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The child processes of `pid` (from every thread's children list). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
      if (tid !== '') out.push(Number(tid));
    }
  } catch {
    // gone
  }
  return out;
}

/** The V8 heap in use, from the node's Prometheus metrics. */
async function heapOf(rpcUrl: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${rpcUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const m = /^aztec_process_nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

interface Proc {
  name: string;
  child: ChildProcess;
  rpcUrl: string;
  exited: boolean;
  tail: string[];
}

function startAztec(name: string, args: string[], rpcPort: number): Proc {
  const child = spawn(process.execPath, ['bin/aztec.js', 'start', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const proc: Proc = { name, child, rpcUrl: `http://127.0.0.1:${rpcPort}`, exited: false, tail: [] };
  const keep = (chunk: Buffer) => {
    proc.tail.push(...chunk.toString().split('\n').filter(Boolean));
    proc.tail.splice(0, Math.max(0, proc.tail.length - 20));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.once('exit', () => (proc.exited = true));
  return proc;
}

async function stopProc(p: Proc): Promise<void> {
  // Its own process group (anvil with it): SIGINT for a clean stop, SIGKILL if it lingers.
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-p.child.pid!, sig);
    } catch {
      // already gone
    }
  };
  if (!p.exited) {
    const gone = new Promise<void>(resolve => p.child.once('exit', () => resolve()));
    kill('SIGINT');
    const timer = setTimeout(() => kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }
  kill('SIGKILL');
}

async function waitForBlock(p: Proc, n: number, timeoutS: number): Promise<void> {
  const node = createRpcClient(p.rpcUrl, 'node', nodeApiSchema);
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    if (p.exited) throw new Error(`${p.name} exited:\n${p.tail.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${p.name}: no block ${n} within ${timeoutS} s:\n${p.tail.join('\n')}`);
    try {
      if ((await node.getBlockNumber()) >= n) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
}

/** One funded account sending `TXS_PER_SLOT` txs each time a block lands, until `stop()`; counts what was mined. */
async function startTraffic(rpcUrl: string, l1Url: string) {
  const node = createRpcClient(rpcUrl, 'node', nodeApiSchema);
  const info = await node.getNodeInfo();
  const a = info.l1ContractAddresses;
  const l1Opts = { rpcUrls: [l1Url], chainId: info.l1ChainId, pollingIntervalMs: 200 };
  const l1 = {
    publicClient: createL1PublicClient(l1Opts),
    walletClient: createL1WalletClient(l1Opts, devAccount(0).privateKey),
  };
  const mint = await new FeeAssetContract(l1.publicClient, a.feeAsset).isMinter(l1.walletClient.account.address);
  const account = new FeeJuiceAccount();
  const claim = await account.bridgeFromL1(l1, a, 10n ** 21n, { mint });
  await FeeJuiceAccount.waitForMessage(node, claim, 180_000);
  const counts = { sent: 0, mined: 0, dropped: 0, errors: 0 };
  const pending = new Set<Fr>();
  let lastError: string | undefined;
  const make = async (first: boolean) =>
    account.makeTx({
      l1ChainId: info.l1ChainId,
      version: info.rollupVersion,
      baseFees: await node.getCurrentBaseFees(),
      expiryBlockNumber: BigInt(await node.getBlockNumber()) + 100n,
      ...(first ? { actions: [account.claimAction(claim)] } : {}),
    });
  const check = async () => {
    for (const h of [...pending]) {
      const r = await node.getTxReceipt(frToHex(h));
      if (r.status === 'success') counts.mined++;
      else if (r.status === 'dropped') {
        counts.dropped++;
        lastError = r.error;
      } else continue;
      pending.delete(h);
    }
  };
  pending.add(await node.sendTx(txToJSON(await make(true))));
  counts.sent++;
  while (pending.size > 0) {
    await check();
    await sleep(500);
  }
  let running = true;
  const loop = (async () => {
    let seen = await node.getBlockNumber();
    while (running) {
      try {
        const n = await node.getBlockNumber();
        if (n > seen) {
          seen = n;
          for (let i = 0; i < TXS_PER_SLOT; i++) {
            pending.add(await node.sendTx(txToJSON(await make(false))));
            counts.sent++;
          }
        }
        await check();
      } catch (err) {
        counts.errors++;
        lastError = String(err);
      }
      await sleep(1000);
    }
  })();
  return {
    counts,
    lastError: () => lastError,
    async stop() {
      running = false;
      await loop;
    },
  };
}

interface Sample {
  minute: number;
  leaderRss: number | undefined;
  leaderHeap: number | undefined;
  followerRss: number | undefined;
  followerHeap: number | undefined;
  anvilRss: number | undefined;
  leaderBlock: number | undefined;
  followerBlock: number | undefined;
  mined: number;
}

const dir = mkdtempSync(path.join(tmpdir(), 'memory-soak-'));
const [l1Port, leaderPort, leaderAdmin, followerPort, followerAdmin] = (await freePorts(5)) as [
  number,
  number,
  number,
  number,
  number,
];
const l1Url = `http://127.0.0.1:${l1Port}`;
const procs: Proc[] = [];
let traffic: Awaited<ReturnType<typeof startTraffic>> | undefined;
const samples: Sample[] = [];
try {
  const leader = startAztec(
    'local network',
    ['--local-network', '--l1-rpc-urls', l1Url, '--host', '127.0.0.1', '--port', String(leaderPort)].concat([
      '--admin-port',
      String(leaderAdmin),
      '--data-directory',
      path.join(dir, 'local'),
    ]),
    leaderPort,
  );
  procs.push(leader);
  await waitForBlock(leader, 1, 180);
  const follower = startAztec(
    'follower',
    ['--network', 'local', '--l1-rpc-urls', l1Url, '--l1-consensus-host-url', l1Url, '--archiver', '--node']
      .concat(['--host', '127.0.0.1', '--port', String(followerPort), '--admin-port', String(followerAdmin)])
      .concat(['--data-directory', path.join(dir, 'follower')]),
    followerPort,
  );
  procs.push(follower);
  await waitForBlock(follower, 1, 180);
  traffic = await startTraffic(leader.rpcUrl, l1Url);
  const anvilPid = childrenOf(leader.child.pid!)[0];
  const leaderNode = createRpcClient(leader.rpcUrl, 'node', nodeApiSchema);
  const followerNode = createRpcClient(follower.rpcUrl, 'node', nodeApiSchema);
  console.log(
    `memory soak: ${MINUTES} min, a sample every ${SAMPLE_MS / 1000} s, warm-up ${(WARMUP_MS / 60_000).toFixed(1)} min, ` +
      `${TXS_PER_SLOT} txs a slot; local network pid ${leader.child.pid}, follower pid ${follower.child.pid}, ` +
      `anvil pid ${anvilPid ?? '?'}`,
  );
  console.log(' minute | local RSS  heap MiB | follower RSS heap MiB | anvil RSS | blocks L/F  | txs mined');
  const start = performance.now();
  const end = start + MINUTES * 60_000;
  for (let next = start; next <= end + 1; next += SAMPLE_MS) {
    await sleep(Math.max(0, next - performance.now()));
    for (const p of procs) if (p.exited) throw new Error(`${p.name} exited:\n${p.tail.join('\n')}`);
    const s: Sample = {
      minute: (performance.now() - start) / 60_000,
      leaderRss: rssOf(leader.child.pid!),
      leaderHeap: await heapOf(leader.rpcUrl),
      followerRss: rssOf(follower.child.pid!),
      followerHeap: await heapOf(follower.rpcUrl),
      anvilRss: anvilPid === undefined ? undefined : rssOf(anvilPid),
      leaderBlock: await leaderNode.getBlockNumber().catch(() => undefined),
      followerBlock: await followerNode.getBlockNumber().catch(() => undefined),
      mined: traffic.counts.mined,
    };
    samples.push(s);
    console.log(
      `${s.minute.toFixed(1).padStart(7)} | ${mib(s.leaderRss)}   ${mib(s.leaderHeap)} | ${mib(s.followerRss)}  ` +
        ` ${mib(s.followerHeap)} |   ${mib(s.anvilRss)} | ${String(s.leaderBlock ?? '–').padStart(4)} / ` +
        `${String(s.followerBlock ?? '–').padStart(4)} | ${String(s.mined).padStart(6)}`,
    );
  }
  const c = traffic.counts;
  console.log(
    `traffic: ${c.sent} txs sent, ${c.mined} mined, ${c.dropped} dropped, ${c.errors} errors` +
      (traffic.lastError() ? ` (last: ${traffic.lastError()})` : ''),
  );
} finally {
  await traffic?.stop().catch(() => undefined);
  for (const p of procs.reverse()) await stopProc(p);
  rmSync(dir, { recursive: true, force: true });
}

const after = samples.filter(s => s.minute * 60_000 >= WARMUP_MS - 1000);
const growth = (pick: (s: Sample) => number | undefined) => {
  const xs = after.map(pick).filter((x): x is number => x !== undefined);
  if (xs.length < 4) return undefined;
  const base = median(xs.slice(0, 3));
  const last = median(xs.slice(-3));
  return { base, last, growth: last / base - 1, max: Math.max(...xs) / base - 1 };
};
const line = (name: string, g: ReturnType<typeof growth>) =>
  g === undefined
    ? `  ${name}: too few samples after the warm-up`
    : `  ${name}: ${mib(g.base).trim()} → ${mib(g.last).trim()} MiB, growth ${(g.growth * 100).toFixed(1)}% = ` +
      `${(g.growth / GROWTH_BOUND).toFixed(2)}× the ${GROWTH_BOUND * 100}% bound (largest sample +${(g.max * 100).toFixed(1)}%)`;
console.log(
  `after the ${(WARMUP_MS / 60_000).toFixed(1)}-minute warm-up (median of the first 3 samples → of the last 3):`,
);
console.log(
  line(
    'local network RSS ',
    growth(s => s.leaderRss),
  ),
);
console.log(
  line(
    'local network heap',
    growth(s => s.leaderHeap),
  ),
);
console.log(
  line(
    'follower RSS      ',
    growth(s => s.followerRss),
  ),
);
console.log(
  line(
    'follower heap     ',
    growth(s => s.followerHeap),
  ),
);
const followerMax = Math.max(...samples.map(s => s.followerRss ?? 0));
console.log(
  `follower RSS: largest ${mib(followerMax).trim()} MiB (${(followerMax / 1e6).toFixed(0)} MB) = ` +
    `${(followerMax / FOLLOWER_BOUND_BYTES).toFixed(2)}× the 200 MB bound`,
);
const anvilMax = Math.max(...samples.map(s => s.anvilRss ?? 0));
console.log(`anvil RSS (not in the figures above): largest ${mib(anvilMax).trim()} MiB`);
