import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestL1, type TestL1 } from '../../test/helpers/l1.js';
import { L1BlockPublisher, type PublishedTestBlock } from '../../test/helpers/l1-blocks.js';
import { configureLogging } from '../foundation/log/index.js';
import { createL1PublicClient } from '../l1/clients.js';
import { asFr, FR_ZERO } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { createArchiverHarness, type ArchiverHarness } from './testing/index.js';

const lines: string[] = [];
const downloaded = () => lines.filter(l => l.includes('Downloaded L2 block'));

describe('Archiver (anvil)', () => {
  let l1: TestL1;
  let publisher: L1BlockPublisher;
  let published: PublishedTestBlock[] = [];
  let dataDirectory: string;
  const harnesses: ArchiverHarness[] = [];

  const harness = async (opts: { dataDirectory?: string; rpcUrls?: string[] } = {}) => {
    const publicClient = opts.rpcUrls
      ? createL1PublicClient({ rpcUrls: opts.rpcUrls, chainId: l1.anvil.chainId, pollingIntervalMs: 50 })
      : l1.publicClient;
    const h = await createArchiverHarness({
      publicClient,
      beaconUrl: l1.anvil.url,
      rollupAddress: l1.deployment.addresses.rollup,
      batchSize: 5,
      ...(opts.dataDirectory !== undefined ? { dataDirectory: opts.dataDirectory } : {}),
    });
    harnesses.push(h);
    return h;
  };

  beforeAll(async () => {
    configureLogging({ sink: line => lines.push(line), json: false, level: 'info' });
    dataDirectory = mkdtempSync(join(tmpdir(), 'archiver-test-'));
    l1 = await startTestL1();
    publisher = new L1BlockPublisher(l1, { seed: 7 });
  });

  afterAll(async () => {
    for (const h of harnesses) await h.close();
    await l1?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
    configureLogging({ sink: line => process.stderr.write(line + '\n'), level: process.env['LOG_LEVEL'] ?? 'warn' });
  });

  it('syncs published blocks, their tx index and the Inbox messages of each block', async () => {
    const m1 = await publisher.sendL2Message(asFr(11));
    const m2 = await publisher.sendL2Message(asFr(12));
    expect(m1.l2BlockNumber).toBe(2n);
    published = await publisher.publishMany(3);
    const m3 = await publisher.sendL2Message(asFr(13));
    published.push(...(await publisher.publishMany(2)));

    const h = await harness({ dataDirectory });
    await h.archiver.start({ waitForInitialSync: true });
    await h.archiver.stop();

    expect(h.store.getLatestBlockNumber()).toBe(5n);
    for (const p of published) {
      const n = p.block.header.globalVariables.blockNumber;
      expect(h.store.getBlock(n)).toEqual(p.block);
      expect(h.store.getBlockHeader(n)).toEqual(p.block.header);
      expect(h.store.getPublishedBlock(n)?.l1).toMatchObject({ l1TxHash: p.l1TxHash, l1BlockNumber: p.l1BlockNumber });
      p.block.body.forEach((effect, index) => {
        expect(h.store.getTxLocation(effect.txHash)).toEqual({ blockNumber: n, index });
      });
    }
    expect(h.store.getBlocks(2n, 10).map(b => b.header.globalVariables.blockNumber)).toEqual([2n, 3n, 4n, 5n]);
    expect(h.store.getL1ToL2Messages(1n)).toEqual(Array(16).fill(FR_ZERO));
    expect(h.store.getL1ToL2Messages(2n).slice(0, 3)).toEqual([m1.leaf, m2.leaf, FR_ZERO]);
    expect(m3.l2BlockNumber).toBe(5n);
    expect(h.store.getL1ToL2Messages(5n)[0]).toEqual(m3.leaf);
    // The world state was given each block's messages, in order.
    expect(h.worldState.committed.map(c => c.blockNumber)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(h.worldState.committed[1]?.messages[1]).toBe(m2.leaf);
    expect(h.worldState.getBlockNumber()).toBe(5n);

    const tips = h.store.getTips();
    expect(tips.latest).toEqual({ number: 5n, hash: headerHash(published[4]!.block.header) });
    expect(tips.proven).toEqual({ number: 0n });
    expect(tips.finalized).toEqual({ number: 0n });

    expect(lines.some(l => l.startsWith('INFO: archiver Starting archiver sync to rollup contract'))).toBe(true);
    expect(downloaded().map(l => /Downloaded L2 block (\d+)/.exec(l)?.[1])).toEqual(['1', '2', '3', '4', '5']);
    expect(downloaded()[0]).toMatch(/^INFO: archiver Downloaded L2 block 1 \{"l1Block":"\d+","txs":2,/);
    expect(h.events.filter(e => e.type === 'blocks-added')).toHaveLength(5);
    await h.close();
  });

  it('resumes from its data directory without downloading the blocks again', async () => {
    published.push(await publisher.publish());
    lines.length = 0;
    const h = await harness({ dataDirectory });
    expect(h.store.getLatestBlockNumber()).toBe(5n);
    await h.archiver.start({ waitForInitialSync: true });
    expect(h.store.getLatestBlockNumber()).toBe(6n);
    expect(downloaded()).toEqual([expect.stringContaining('Downloaded L2 block 6 ')]);
    expect(h.blobRequests).toHaveLength(1);
    expect(h.worldState.committed.map(c => c.blockNumber)).toEqual([6n]);
    await h.close();
  });

  it('keeps polling and picks up new blocks while running', async () => {
    const h = await harness();
    await h.archiver.start();
    const next = await publisher.publish();
    await expect.poll(() => h.store.getLatestBlockNumber(), { timeout: 20_000 }).toBe(7n);
    expect(h.store.getBlock(7n)).toEqual(next.block);
    await h.close();
  });

  // Every call first fails on the dead URL (with the client's own retries), so keep the work small: resume from the
  // data directory (at block 6) and fetch block 7.
  it('fails over to the second ETHEREUM_HOSTS URL when the first is dead', { timeout: 120_000 }, async () => {
    const h = await harness({ dataDirectory, rpcUrls: ['http://127.0.0.1:1', l1.anvil.url] });
    await h.archiver.start({ waitForInitialSync: true });
    expect(h.store.getLatestBlockNumber()).toBe(7n);
    await h.close();
  });
});
