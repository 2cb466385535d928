import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { configureLogging } from '../../src/foundation/log/index.js';
import type { RunningNode } from '../../src/node/aztec-node.js';
import type { AztecConfig } from '../../src/node/config.js';
import type { ReadinessReport } from '../../src/node/readiness.js';
import { runAztec } from '../helpers/cli.js';
import { startFlakyL1, type FlakyL1 } from '../helpers/flaky-l1.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

const FOLLOWER = { node: true, archiver: true, sequencer: false, proverNode: false } as const;

/** The node's config with its L1 (execution and, on the local chain, beacon) behind `proxy`. */
const behind = (proxy: FlakyL1) => (c: AztecConfig) => ({ ...c, l1: { ...c.l1, l1RpcUrls: [proxy.url] } });

async function status(node: RunningNode): Promise<{ code: number; body: ReadinessReport }> {
  const res = await fetch(`${node.rpcUrl}/status`);
  return { code: res.status, body: (await res.json()) as ReadinessReport };
}

async function rpc(url: string, method: string, params: unknown[] = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
}

/**
 * A real L1 (anvil) behind a proxy that answers chosen requests with HTTP errors: a node waits for an L1 that
 * errors at start instead of exiting, `/status` says what it waits for, and the modules run what their flags say.
 */
describe('an L1 that errors, and what the node says about it', () => {
  let network: InProcessNetwork;
  const proxies: FlakyL1[] = [];
  const logs: string[] = [];
  const proxy = async (...args: Parameters<typeof startFlakyL1>) => {
    const p = await startFlakyL1(...args);
    proxies.push(p);
    return p;
  };

  beforeAll(async () => {
    configureLogging({ level: 'warn', sink: line => logs.push(line) });
    network = await startInProcessNetwork();
    // The block producer talks to anvil directly.
    await network.addNode({ ...FOLLOWER, sequencer: true });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
    for (const p of proxies) await p.stop();
    configureLogging({ level: 'warn', sink: line => process.stderr.write(line + '\n') });
  });

  it('starts behind an L1 whose first requests get HTTP 500 and 429, says what it waits for, then syncs', async () => {
    const flaky = await proxy(network.net.anvil.url, ({ index }) =>
      index < 4 ? { status: index % 2 === 0 ? 500 : 429 } : 'forward',
    );
    const node = await network.addNode(FOLLOWER, behind(flaky));

    expect(flaky.counts().failed).toBe(4);
    expect(flaky.counts().failedMethods['eth_chainId']).toBeGreaterThanOrEqual(1);
    expect(logs.some(l => l.includes('Waiting for the L1 RPC') && l.includes('eth_chainId'))).toBe(true);
    const producer = network.net.deployment.addresses.rollup;
    expect(node.addresses.rollup).toBe(producer);
    await until('the node behind the flaky L1 to sync block 1', () => node.archiver.store.getLatestBlockNumber() >= 1n);
    await until('/status 200', async () => (await status(node)).code === 200);
  }, 120_000);

  it('is 503 naming the archiver until it has synced, then 200; node_isReady agrees', async () => {
    // Logs fail from the start: the node starts (nothing in its start needs them), but cannot sync.
    const flaky = await proxy(network.net.anvil.url, ({ methods }) =>
      methods.includes('eth_getLogs') ? { status: 500 } : 'forward',
    );
    const node = await network.addNode(FOLLOWER, behind(flaky));

    const before = await status(node);
    expect(before.code).toBe(503);
    expect(before.body.ready).toBe(false);
    expect(before.body.components['node']).toEqual({ ready: true });
    expect(before.body.components['archiver']).toMatchObject({ ready: false, reason: 'first sync not done' });
    expect((await rpc(node.rpcUrl, 'node_isReady')).result).toBe(false);

    flaky.setPolicy(() => 'forward');
    await until('/status 200 once L1 logs are served', async () => (await status(node)).code === 200);
    const after = await status(node);
    expect(after.body.ready).toBe(true);
    expect(after.body.components['archiver']).toMatchObject({ ready: true });
    expect(after.body.components['worldState']).toMatchObject({ ready: true });
    expect((await rpc(node.rpcUrl, 'node_isReady')).result).toBe(true);

    // Logs fail again while L1 moves on: the archiver falls behind the L1 head and the node says by how much.
    flaky.setPolicy(({ methods }) => (methods.includes('eth_getLogs') ? { status: 429 } : 'forward'));
    await network.rpc('anvil_mine', [6]);
    await until('/status 503 again', async () => (await status(node)).code === 503);
    const behindHead = (await status(node)).body.components['archiver'];
    expect(behindHead?.ready).toBe(false);
    expect(behindHead?.reason).toMatch(/^\d+ L1 blocks behind the L1 head$/);
    flaky.setPolicy(() => 'forward');
    await until('/status 200 after healing', async () => (await status(node)).code === 200);
  }, 120_000);

  it('--archiver alone syncs and serves its own methods, no node_ method', async () => {
    const archiverOnly = await network.addNode({ node: false, archiver: true, sequencer: false, proverNode: false });
    await until('the archiver alone to sync block 1', async () => {
      const r = await rpc(archiverOnly.rpcUrl, 'archiver_getBlockNumber');
      return typeof r.result === 'number' && r.result >= 1;
    });
    for (const method of ['node_getBlockNumber', 'node_getL2Tips', 'node_sendTx', 'node_getNodeInfo']) {
      const r = await rpc(archiverOnly.rpcUrl, method);
      expect(r.result, method).toBeUndefined();
      expect(r.error?.code, method).toBe(-32601);
    }
    expect((await status(archiverOnly)).body.components).not.toHaveProperty('worldState');
  }, 120_000);

  it('refuses `aztec start --sequencer` without --node, naming --node', () => {
    const r = runAztec(['start', '--network', 'local', '--l1-rpc-urls', network.net.anvil.url, '--sequencer']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--sequencer needs --node/);
  });
});
