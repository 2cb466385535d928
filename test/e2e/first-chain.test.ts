import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendTraffic } from '../../src/cli/traffic/send-traffic.js';
import { computeRootFromPath } from '../../src/foundation/crypto/index.js';
import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { nodeAdminApiSchema, nodeApiSchema } from '../../src/node/api/schema.js';
import { decodeSiblingPath } from '../../src/node/api/sibling-path.js';
import { frToBuffer, frToHex } from '../../src/types/fr.js';
import { feeJuiceBalanceSlot } from '../../src/types/fee-juice.js';
import { headerHash } from '../../src/types/header-codec.js';
import { l2AddressFromPrivateKey } from '../../src/types/keys.js';
import { runAztec, spawnAztec, startLocalNetworkProcess, type AztecProcess } from '../helpers/cli.js';

type Node = ReturnType<typeof node>;
const node = (url: string) => createRpcClient(url, 'node', nodeApiSchema);

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

/** The guide's two curl commands, verbatim but for the URL and block number. */
function guideCommands(url: string): { proven: number; path: string } {
  const tips = `curl -s -X POST -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","method":"node_getL2Tips","params":[],"id":67}' "${url}" | jq ".result.proven.number"`;
  const proven = Number(execFileSync('bash', ['-c', tips], { encoding: 'utf8' }).trim());
  const path = `curl -s -X POST -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","method":"node_getArchiveSiblingPath","params":[${proven},${proven}],"id":67}' "${url}" | jq ".result"`;
  const out = execFileSync('bash', ['-c', path], { encoding: 'utf8' }).trim();
  return { proven, path: JSON.parse(out) as string };
}

/**
 * The seed's first half end to end: a local network, a user's 20 txs, a second node started the guide's way that
 * syncs the same chain, and the guide's registration commands answering on both.
 */
describe('the first chain', () => {
  let network: AztecProcess;
  let follower: AztecProcess | undefined;
  let l1Url: string;
  let rpcUrl: string;
  let rollup: `0x${string}`;
  let dataDir: string;
  let followerPorts: { rpc: number; admin: number };

  beforeAll(async () => {
    ({ proc: network, l1Url, rpcUrl, rollup } = await startLocalNetworkProcess());
    dataDir = mkdtempSync(join(tmpdir(), 'aztec-follower-'));
    followerPorts = { rpc: await getFreePort(), admin: await getFreePort() };
  });

  afterAll(async () => {
    await follower?.stop('SIGINT');
    await network?.stop('SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startFollower = () =>
    spawnAztec([
      'start',
      '--network',
      'local',
      '--l1-rpc-urls',
      l1Url,
      '--l1-consensus-host-url',
      l1Url,
      // No contract address: the built-in `local` preset carries the local network's (deterministic) addresses.
      '--archiver',
      '--node',
      '--port',
      String(followerPorts.rpc),
      '--admin-port',
      String(followerPorts.admin),
      '--host',
      '127.0.0.1',
      '--data-directory',
      dataDir,
    ]);

  it('includes a funded account’s 20 txs, each with a success receipt', async () => {
    const result = await sendTraffic({
      nodeUrl: rpcUrl,
      l1RpcUrls: [l1Url],
      l1PrivateKey: devAccount(0).privateKey,
      count: 20,
    });
    expect(result.txs).toHaveLength(20);
    for (const tx of result.txs) expect(tx.blockNumber).toBeGreaterThan(0);
    // Fees were paid: every tx's fee is positive, and the fee recipient (the validator's L2 address by default)
    // holds at least their sum.
    expect(result.txs.every(t => BigInt(t.fee) > 0n)).toBe(true);
    const recipient = l2AddressFromPrivateKey(devAccount(1).privateKey);
    const balance = await node(rpcUrl).getPublicStorageAt('latest', frToHex(feeJuiceBalanceSlot(recipient)));
    expect(BigInt(balance)).toBeGreaterThanOrEqual(result.txs.reduce((sum, t) => sum + BigInt(t.fee), 0n));

    // What the guide's bot prints.
    const info = runAztec(['get-info', '--node-url', rpcUrl]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(
      /^Pending block: [1-9]\d*\nProven block: \d+\nCurrent epoch: \d+\nCurrent slot: \d+\nProposer now: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n$/,
    );
  }, 240_000);

  it('syncs a second node started with the guide’s flags to the same chain, and the guide’s commands answer on both', async () => {
    follower = startFollower();
    await follower.waitFor(/Starting archiver sync to rollup contract/, 60_000);
    const followerUrl = `http://127.0.0.1:${followerPorts.rpc}`;
    const a = node(rpcUrl);
    const b = node(followerUrl);

    // Wait for a proven block on both, then compare the chains at the first node's tip.
    await until('a proven block', async () => ((await a.getL2Tips()).proven.number > 0 ? true : undefined), 180_000);
    const tip = (await a.getL2Tips()).latest;
    await until('the follower to reach the tip', async () =>
      (await b.getL2Tips()).latest.number >= tip.number ? true : undefined,
    );
    const [ha, hb] = await Promise.all([a.getBlockHeader(Number(tip.number)), b.getBlockHeader(Number(tip.number))]);
    expect(frToHex(headerHash(hb!))).toBe(frToHex(headerHash(ha!)));
    expect(frToHex(headerHash(hb!))).toBe(frToHex(tip.hash!));

    const l1 = createL1PublicClient({ rpcUrls: [l1Url], chainId: 31337 });
    for (const url of [rpcUrl, followerUrl]) {
      await until('proven on this node', async () =>
        (await node(url).getL2Tips()).proven.number > 0 ? true : undefined,
      );
      const { proven, path } = guideCommands(url);
      expect(proven).toBeGreaterThan(0);
      expect(path).toHaveLength(1244);
      // Hashing block n's header hash (leaf n) up the path gives the archive root L1 holds for block n.
      const header = await node(url).getBlockHeader(proven);
      const root = computeRootFromPath(frToBuffer(headerHash(header!)), BigInt(proven), decodeSiblingPath(path));
      const onL1 = await l1.readContract({
        address: rollup,
        abi: RollupAbi,
        functionName: 'archiveAt',
        args: [BigInt(proven)],
      });
      expect(`0x${root.toString('hex')}`).toBe(onL1);
    }
  }, 300_000);

  it('answers malformed JSON-RPC with the right errors and keeps serving', async () => {
    const post = async (body: string | Buffer, headers: Record<string, string> = {}) => {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return {
        status: res.status,
        json: (await res.json().catch(() => undefined)) as { error?: { code: number } } | undefined,
      };
    };
    const call = (method: string, params: unknown) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
    expect((await post('{"jsonrpc":')).json?.error?.code).toBe(-32700);
    expect((await post(call('node_nope', []))).json?.error?.code).toBe(-32601);
    expect((await post(call('node_getBlock', ['one']))).json?.error?.code).toBe(-32602);
    expect((await post(call('node_getArchiveSiblingPath', [-1, -1]))).json?.error?.code).toBe(-32602);
    expect((await post(call('node_getArchiveSiblingPath', [2 ** 53, 1]))).json?.error?.code).toBe(-32602);
    expect((await post(call('node_getArchiveSiblingPath', [999_999, 1]))).json?.error?.code).toBe(-32602);
    const batch = `[${Array.from({ length: 10_000 }, () => call('node_getBlockNumber', [])).join(',')}]`;
    expect((await post(batch)).json?.error?.code).toBe(-32600);
    const huge = await post(Buffer.alloc(100 * 1024 * 1024, 0x20)).catch(() => ({ status: 413, json: undefined }));
    expect(huge.status).toBe(413);
    expect(await node(rpcUrl).getBlockNumber()).toBeGreaterThan(0);
  }, 60_000);

  it('serves the admin API on its own port: pause, resume, roll back, and refuses unknown settings', async () => {
    const adminUrl = `http://127.0.0.1:${followerPorts.admin}`;
    const admin = createRpcClient(adminUrl, 'nodeAdmin', nodeAdminApiSchema);
    const followerUrl = `http://127.0.0.1:${followerPorts.rpc}`;
    await admin.pauseSync();
    await admin.rollbackTo(1);
    expect(Number((await node(followerUrl).getL2Tips()).latest.number)).toBe(1);
    await admin.resumeSync();
    await until('the follower to sync again', async () =>
      (await node(followerUrl).getL2Tips()).latest.number > 1 ? true : undefined,
    );
    await expect(admin.setConfig({ SEQ_MAX_TX_PER_BLOCK: '3' })).rejects.toMatchObject({ code: -32602 });
    // The admin methods are not on the public port.
    const onPublic = await fetch(followerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'nodeAdmin_pauseSync', params: [] }),
    });
    expect(((await onPublic.json()) as { error: { code: number } }).error.code).toBe(-32601);
  }, 120_000);

  it('resumes after SIGKILL from where it was, and ends with the same tips and archive root as L1', async () => {
    const followerUrl = `http://127.0.0.1:${followerPorts.rpc}`;
    const before = Number((await node(followerUrl).getL2Tips()).latest.number);
    expect(before).toBeGreaterThan(0);
    await follower!.stop('SIGKILL');
    follower = startFollower();
    await follower.waitFor(/Starting archiver sync to rollup contract/, 60_000);
    // It started from its stored block, not from genesis.
    const started = /Starting archiver sync[^\n]*"l2BlockNumber":"(\d+)"/.exec(follower.output().stderr)?.[1];
    expect(Number(started)).toBeGreaterThanOrEqual(before);

    const l1 = createL1PublicClient({ rpcUrls: [l1Url], chainId: 31337 });
    const b: Node = node(followerUrl);
    await until('the follower to match L1', async () => {
      const [pending, proven] = await l1.readContract({ address: rollup, abi: RollupAbi, functionName: 'getTips' });
      const tips = await b.getL2Tips();
      return BigInt(tips.latest.number) === pending && BigInt(tips.proven.number) === proven ? pending : undefined;
    });
    const n = BigInt((await b.getL2Tips()).latest.number);
    const header = await b.getBlockHeader(Number(n));
    const path = decodeSiblingPath(await b.getArchiveSiblingPath(Number(n), Number(n)));
    const root = computeRootFromPath(frToBuffer(headerHash(header!)), n, path);
    const onL1 = await l1.readContract({ address: rollup, abi: RollupAbi, functionName: 'archiveAt', args: [n] });
    expect(`0x${root.toString('hex')}`).toBe(onL1);
  }, 180_000);
});
