import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestL1, type TestL1 } from '../../../test/helpers/l1.js';
import { L1BlockPublisher } from '../../../test/helpers/l1-blocks.js';
import { createArchiverHarness, type ArchiverHarness } from '../../archiver/testing/index.js';
import { JsonRpcServer, rpcNamespace } from '../../foundation/json-rpc/index.js';
import { apiNamespaces } from '../api-servers.js';
import { createArchiverApi } from './archiver-api.js';
import { RECENT_HEADERS } from './hot-reads.js';
import { archiverApiSchema } from './schema.js';

// The node's API (reads held in memory, dropped when the archiver commits a change) next to the same methods
// reading the store on every call, over a real archiver following anvil: the two must answer the same bytes after
// new blocks, a proof, an L2 prune and a re-proposal. Slots of 8 s, epochs of 8 slots, a proof window of 16 slots.
describe('hot reads (node API in memory) against the store (anvil)', () => {
  let l1: TestL1;
  let publisher: L1BlockPublisher;
  let h: ArchiverHarness;
  const servers: JsonRpcServer[] = [];
  let hotUrl: string;
  let storeUrl: string;

  const listen = async (server: JsonRpcServer) => {
    servers.push(server);
    return `http://127.0.0.1:${await server.start()}`;
  };

  beforeAll(async () => {
    l1 = await startTestL1();
    publisher = new L1BlockPublisher(l1, { seed: 13 });
    h = await createArchiverHarness({
      publicClient: l1.publicClient,
      beaconUrl: l1.anvil.url,
      rollupAddress: l1.deployment.addresses.rollup,
    });
    const status = {
      report: () => ({ ready: true, components: {} }),
      view: () => Promise.reject(new Error('no status page here')),
    };
    hotUrl = await listen(
      new JsonRpcServer({
        host: '127.0.0.1',
        port: 0,
        namespaces: apiNamespaces({ archiver: h.archiver, node: undefined, status }),
      }),
    );
    const uncached = createArchiverApi({ chain: h.store, isReady: () => true });
    storeUrl = await listen(
      new JsonRpcServer({
        host: '127.0.0.1',
        port: 0,
        namespaces: [rpcNamespace('archiver', archiverApiSchema, uncached)],
      }),
    );
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await h?.close();
    await l1?.stop();
  });

  /** One batch of every cached read (and the headers of blocks 1 to `upTo`, also past the tip), as answered. */
  async function answers(url: string, upTo: number): Promise<string> {
    const calls: [string, unknown[]][] = [
      ['archiver_getL2Tips', []],
      ['archiver_getBlockNumber', []],
      ['archiver_getProvenBlockNumber', []],
      ['archiver_getBlockHeader', []],
      ['archiver_getBlockHeader', ['latest']],
      ...Array.from({ length: upTo }, (_, i): [string, unknown[]] => ['archiver_getBlockHeader', [i + 1]]),
    ];
    const body = JSON.stringify(calls.map(([method, params], id) => ({ jsonrpc: '2.0', id, method, params })));
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return res.text();
  }

  /** The cached answers equal the store's; returns them parsed. */
  async function sameAnswers(upTo: number): Promise<{ result?: unknown; error?: unknown }[]> {
    const hot = await answers(hotUrl, upTo);
    expect(hot).toBe(await answers(storeUrl, upTo));
    // Asked twice: the second answer comes from memory.
    expect(await answers(hotUrl, upTo)).toBe(hot);
    return JSON.parse(hot) as { result?: unknown; error?: unknown }[];
  }

  const tips = (a: { result?: unknown }[]) =>
    a[0]!.result as { latest: { number: number; hash?: string }; proven: { number: number } };

  it('answers as the store does across new blocks, a proof, a prune and a re-proposal', async () => {
    expect(tips(await sameAnswers(2)).latest).toEqual({ number: 0 });

    await publisher.publishMany(2);
    await h.archiver.sync();
    expect(tips(await sameAnswers(3)).latest.number).toBe(2);

    await publisher.warpToSlot(8n);
    await publisher.proveEpoch(1n, 2n);
    await publisher.rpc('anvil_mine', [70, 1]);
    await publisher.publishMany(2);
    await h.archiver.sync();
    const before = await sameAnswers(5);
    expect(tips(before).latest.number).toBe(4);
    expect(tips(before).proven.number).toBe(2);
    const header3 = before[5 + 2]!.result;

    // L1 prunes blocks 3 and 4; block 3 is proposed again, a different block.
    const epoch = (await publisher.currentSlot()) / 8n;
    await publisher.warpToSlot((epoch + 1n) * 8n + 16n);
    await publisher.prune();
    await h.archiver.sync();
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'chain-pruned', blockNumber: 2n }));
    const pruned = await sameAnswers(5);
    expect(tips(pruned).latest.number).toBe(2);
    expect(pruned[5 + 2]!.error).toBeDefined();

    await publisher.publish();
    await h.archiver.sync();
    const again = await sameAnswers(5);
    expect(tips(again).latest.number).toBe(3);
    expect(again[5 + 2]!.result).toBeDefined();
    expect(again[5 + 2]!.result).not.toEqual(header3);
    expect(RECENT_HEADERS).toBeGreaterThanOrEqual(5);
  }, 180_000);
});
