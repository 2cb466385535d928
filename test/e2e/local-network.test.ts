import { afterEach, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { nodeApiSchema } from '../../src/node/api/schema.js';
import { isAlive, runAztec, spawnAztec, type AztecProcess } from '../helpers/cli.js';
import { until } from '../helpers/in-process-network.js';

async function ports() {
  const [l1, rpc, admin] = [await getFreePort(), await getFreePort(), await getFreePort()];
  return { l1Url: `http://127.0.0.1:${l1}`, rpc, admin, rpcUrl: `http://127.0.0.1:${rpc}` };
}

const args = (p: Awaited<ReturnType<typeof ports>>, extra: string[] = []) => [
  'start',
  '--local-network',
  '--l1-rpc-urls',
  p.l1Url,
  '--port',
  String(p.rpc),
  '--admin-port',
  String(p.admin),
  '--host',
  '127.0.0.1',
  ...extra,
];

/** The README's main command: `aztec start --local-network`. */
describe('aztec start --local-network', () => {
  let proc: AztecProcess | undefined;
  afterEach(async () => {
    await proc?.stop('SIGKILL');
  });

  it('starts an L1 and a node that produces blocks; Ctrl-C stops all of it', async () => {
    // `aztec --version` before any request: a synchronous child blocks this process long enough for the server to
    // close an idle kept-alive connection under our feet, which the next plain fetch would then fail on.
    const version = runAztec(['--version']).stdout.trim();
    const p = await ports();
    proc = spawnAztec(args(p));
    await proc.waitFor(/Press Ctrl-C to stop/);
    const { stdout } = proc.output();
    const pid = Number(/pid (\d+)/.exec(stdout)?.[1]);
    expect(stdout).toContain(`Node JSON-RPC:     ${p.rpcUrl}`);
    expect(stdout).toContain(`${devAccount(1).address}   anvil account #1`);

    // Its one validator is the committee: blocks come from the first slots on, and the archiver downloads them.
    await proc.waitFor(/Downloaded L2 block 2/, 60_000);
    const node = createRpcClient(p.rpcUrl, 'node', nodeApiSchema);
    expect(Number((await node.getL2Tips()).latest.number)).toBeGreaterThanOrEqual(2);
    // Slot 0 is not lost to start-up: block 1 is in it.
    expect((await node.getBlock(1))?.header.globalVariables.slotNumber).toBe(0n);

    // What scripts written for an Aztec node read: the `aztec_` prefix, Aztec's address names, the binary's version.
    const rollup = /rollup\s+(0x[0-9a-fA-F]{40})/.exec(stdout)?.[1];
    const call = async (url: string, method: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
      });
      return ((await res.json()) as { result: unknown }).result;
    };
    const info = (await call(p.rpcUrl, 'aztec_getNodeInfo')) as {
      nodeVersion: string;
      l1ContractAddresses: Record<string, string>;
    };
    expect(info.l1ContractAddresses['rollupAddress']).toBe(rollup);
    expect(Object.keys(info.l1ContractAddresses)).toEqual(
      expect.arrayContaining(['registryAddress', 'inboxAddress', 'outboxAddress', 'feeJuicePortalAddress']),
    );
    expect(await call(p.rpcUrl, 'node_getL1ContractAddresses')).toEqual(info.l1ContractAddresses);
    expect(info.nodeVersion).toBe(version);
    expect(await call(p.rpcUrl, 'aztec_getBlockNumber')).toBeGreaterThanOrEqual(2);
    expect(await call(`http://127.0.0.1:${p.admin}`, 'aztecAdmin_resumeSync')).toBeNull();
    // Our own client reads the wire names back into the node's short ones.
    expect((await node.getNodeInfo()).l1ContractAddresses.rollup).toBe(rollup);

    expect(await proc.stop('SIGINT')).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('runs --validators 3 as a bootnode and 3 validator processes that reach quorum over P2P; one stopped by PID leaves the rest running; Ctrl-C stops all', async () => {
    const p = await ports();
    const p2pBase = await getFreePort();
    proc = spawnAztec(args(p, ['--validators', '3']), { P2P_PORT: String(p2pBase) });
    await proc.waitFor(/Press Ctrl-C to stop them all/, 120_000);
    const { stdout } = proc.output();
    const rollup = /rollup\s+(0x[0-9a-fA-F]{40})/.exec(stdout)?.[1] as `0x${string}`;
    for (const i of [1, 2, 3]) expect(stdout).toContain(`${devAccount(i).address}   anvil account #${i}`);
    const pids = [...stdout.matchAll(/(bootnode|validator-\d)\s+pid (\d+)/g)].map(m => Number(m[2]));
    expect(pids).toHaveLength(4);

    const client = createL1PublicClient({ rpcUrls: [p.l1Url], chainId: 31337 });
    const committee = await client.readContract({
      address: rollup,
      abi: RollupAbi,
      functionName: 'getEpochCommittee',
      args: [0n],
    });
    expect([...committee].sort()).toEqual([1, 2, 3].map(i => devAccount(i).address).sort());
    // A committee of 3 needs all 3 attestations (L1 checks them): blocks only come if P2P works.
    await proc.waitFor(/Downloaded L2 block 2\b/, 120_000);
    // Each node downloads it in its own time: wait for the first validator's node (its API is on --port).
    const node = createRpcClient(p.rpcUrl, 'node', nodeApiSchema);
    await until('block 2 on the first validator’s node', async () => (await node.getL2Tips()).latest.number >= 2);

    // One validator stopped by its PID: the others keep running (and say who left).
    process.kill(pids[3]!, 'SIGTERM');
    await proc.waitFor(/validator-3 exited \(0\); the other members keep running/, 30_000);
    for (const pid of [proc.child.pid!, ...pids.slice(0, 3)]) expect(isAlive(pid), `pid ${pid}`).toBe(true);

    expect(await proc.stop('SIGINT')).toBe(0);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  }, 240_000);

  it('says what to do when the L1 port is taken', async () => {
    const p = await ports();
    proc = spawnAztec(args(p));
    await proc.waitFor(/Press Ctrl-C to stop/);
    const other = await ports();
    const second = spawnAztec(args({ ...other, l1Url: p.l1Url }));
    try {
      await expect(second.waitFor(/Press Ctrl-C/, 30_000)).rejects.toThrow(/exited \(1\)/);
      expect(second.output().stderr).toContain(`Could not start the local L1 on 127.0.0.1:${p.l1Url.split(':')[2]}`);
    } finally {
      await second.stop('SIGKILL');
    }
  });
});
