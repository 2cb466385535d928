// Start-up figures of the compiled `aztec` command (bin/aztec.js, as an operator runs it), each next to its target
// and to a bare `node -e 0` measured in the same run:
//   `aztec start --help`                       target ≤ 0.5 s
//   `aztec start --local-network` → JSON-RPC   target ≤ 2 s (first answer to node_getBlockNumber)
//   → first L2 block over JSON-RPC, and its slot (target: slot 0)
// Run: npx tsx bench/startup.bench.ts [runs] [checkout]   (needs dist/: `npm run build:ts`; `checkout`: another
// built copy of this repository to time instead, e.g. the main branch for a before/after)
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { getFreePort } from '../src/foundation/net/free-port.js';

const RUNS = Number(process.argv[2] ?? 3);
const HELP_TARGET_S = 0.5;
const RPC_TARGET_S = 2;
const root = process.argv[3] ?? fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
// Our settings only from the flags below, whatever the machine's environment says.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      e[1] !== undefined && !/^(ETHEREUM_|L1_|VALIDATOR_|SEQ_|P2P_|AZTEC_|NETWORK|LOG_|BOOTNODE_)/.test(e[0]),
  ),
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${x.toFixed(2)} s`;

function timeRun(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  return (performance.now() - start) / 1000;
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(1000),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

interface LaunchFigures {
  rpcS: number;
  firstBlockS: number;
  firstBlockSlot: string;
}

/** One `aztec start --local-network` on free ports: when JSON-RPC first answers, when block 1 shows, its slot. */
async function launchLocalNetwork(): Promise<LaunchFigures> {
  const [l1, port, admin] = [await getFreePort(), await getFreePort(), await getFreePort()];
  const url = `http://127.0.0.1:${port}`;
  const args = ['bin/aztec.js', 'start', '--local-network', '--l1-rpc-urls', `http://127.0.0.1:${l1}`];
  args.push('--port', String(port), '--admin-port', String(admin), '--host', '127.0.0.1');
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'ignore', detached: true });
  let exited = false;
  const gone = new Promise<void>(resolve =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const elapsed = () => (performance.now() - start) / 1000;
  try {
    let rpcS: number | undefined;
    for (;;) {
      if (exited) throw new Error('aztec start --local-network exited before answering JSON-RPC');
      if (elapsed() > 120) throw new Error('no JSON-RPC answer within 120 s');
      try {
        const n = Number(await rpc(url, 'node_getBlockNumber'));
        rpcS ??= elapsed();
        if (n >= 1) break;
      } catch {
        // not up yet
      }
      await new Promise(r => setTimeout(r, rpcS === undefined ? 10 : 50));
    }
    const firstBlockS = elapsed();
    const header = (await rpc(url, 'node_getBlockHeader', [1])) as { globalVariables: { slotNumber: string } };
    return { rpcS, firstBlockS, firstBlockSlot: header.globalVariables.slotNumber };
  } finally {
    // Its own process group (anvil with it): SIGINT for a clean stop, SIGKILL if it lingers.
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    kill('SIGINT');
    const timer = setTimeout(() => kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
    kill('SIGKILL');
  }
}

const bare: number[] = [];
const help: number[] = [];
for (let i = 0; i < Math.max(RUNS, 5); i++) {
  bare.push(timeRun(['-e', '0']));
  help.push(timeRun(['bin/aztec.js', 'start', '--help']));
}
const launches: LaunchFigures[] = [];
for (let i = 0; i < RUNS; i++) launches.push(await launchLocalNetwork());

const nodeS = median(bare);
const helpS = median(help);
const rpcS = median(launches.map(l => l.rpcS));
const blockS = median(launches.map(l => l.firstBlockS));
console.log(`start-up of ${root}/bin/aztec.js (medians; bare \`node -e 0\` here: ${s(nodeS)})`);
console.log(
  `  aztec start --help:                 ${s(helpS)} = ${(helpS / HELP_TARGET_S).toFixed(2)}× the ${HELP_TARGET_S} s target` +
    ` (${(helpS - nodeS).toFixed(2)} s above bare node)`,
);
console.log(
  `  --local-network launch → JSON-RPC:  ${s(rpcS)} = ${(rpcS / RPC_TARGET_S).toFixed(2)}× the ${RPC_TARGET_S} s target` +
    `  (runs: ${launches.map(l => s(l.rpcS)).join(', ')})`,
);
console.log(
  `  launch → block 1 over JSON-RPC:     ${s(blockS)}, in slot ${launches.map(l => l.firstBlockSlot).join(', ')}` +
    ` (target: slot 0 every run)`,
);
