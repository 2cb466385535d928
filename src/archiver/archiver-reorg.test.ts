import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestL1, type TestL1 } from '../../test/helpers/l1.js';
import { L1BlockPublisher, undecodableHeader } from '../../test/helpers/l1-blocks.js';
import { configureLogging } from '../foundation/log/index.js';
import { asFr, FR_ZERO } from '../types/fr.js';
import { ArchiverError } from './errors.js';
import { createArchiverHarness, type ArchiverHarness } from './testing/index.js';

const lines: string[] = [];

describe('Archiver on L1 reorgs, invalid blocks and world state rejections (anvil)', () => {
  let l1: TestL1;
  let publisher: L1BlockPublisher;
  let h: ArchiverHarness;
  const others: ArchiverHarness[] = [];

  const snapshot = () => publisher.rpc<string>('evm_snapshot');
  const revert = async (id: string) => expect(await publisher.rpc<boolean>('evm_revert', [id])).toBe(true);

  beforeAll(async () => {
    configureLogging({ sink: line => lines.push(line), json: false, level: 'info' });
    l1 = await startTestL1();
    publisher = new L1BlockPublisher(l1, { seed: 3 });
    h = await createArchiverHarness({
      publicClient: l1.publicClient,
      beaconUrl: l1.anvil.url,
      rollupAddress: l1.deployment.addresses.rollup,
    });
  });

  afterAll(async () => {
    for (const x of [h, ...others]) await x?.close();
    await l1?.stop();
    configureLogging({ sink: line => process.stderr.write(line + '\n'), level: process.env['LOG_LEVEL'] ?? 'warn' });
  });

  it('unwinds blocks and messages whose L1 blocks are gone and ends on the new branch', async () => {
    await publisher.publishMany(3);
    const id = await snapshot();
    const message = await publisher.sendL2Message(asFr(99));
    const old = await publisher.publishMany(2);
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(5n);
    expect(h.store.getL1ToL2Messages(message.l2BlockNumber)[0]).toBe(message.leaf);

    await revert(id);
    const fresh = await publisher.publishMany(2);
    expect(fresh[0]!.block.archive.root).not.toBe(old[0]!.block.archive.root);
    await h.archiver.sync();

    expect(h.store.getLatestBlockNumber()).toBe(5n);
    expect(h.store.getBlock(4n)).toEqual(fresh[0]!.block);
    expect(h.store.getBlock(5n)).toEqual(fresh[1]!.block);
    expect(h.store.getL1ToL2Messages(message.l2BlockNumber)).toEqual(Array(16).fill(FR_ZERO));
    expect(h.worldState.unwinds).toContain(3n);
    expect(h.worldState.getBlockNumber()).toBe(5n);
    expect(h.events).toContainEqual({ type: 'chain-pruned', blockNumber: 3n, removed: [4n, 5n], reason: 'l1-reorg' });
    expect(lines.some(l => l.startsWith('WARN: archiver L1 reorg detected: unwinding to L2 block 3'))).toBe(true);
    // The old blocks' txs are no longer indexed; the new ones are.
    expect(h.store.getTxLocation(old[0]!.block.body[0]!.txHash)).toBeUndefined();
    expect(h.store.getTxLocation(fresh[0]!.block.body[0]!.txHash)).toEqual({ blockNumber: 4n, index: 0 });
  });

  it('reports an undecodable header or body with its L1 tx, skips it, and recovers when L1 replaces it', async () => {
    const before = await snapshot();
    const draft = await publisher.prepare();
    const badHeader = await publisher.send(draft, { rawHeader: undecodableHeader(draft.header) });
    await publisher.publish(); // block 7 builds on the bad block 6
    lines.length = 0;
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(5n);
    expect(lines.find(l => l.startsWith('ERROR: archiver Skipping invalid L2 block 6'))).toContain(badHeader.l1TxHash);
    expect(lines.some(l => l.startsWith('WARN: archiver Skipping L2 block 7: it builds on block 6'))).toBe(true);

    await revert(before);
    const again = await snapshot();
    const badBody = await publisher.publish({ blobPayload: Buffer.from('not a block body') });
    lines.length = 0;
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(5n);
    const error = lines.find(l => l.startsWith('ERROR: archiver Skipping invalid L2 block 6'));
    expect(error).toContain(badBody.l1TxHash);
    expect(error).toMatch(/body/);

    await revert(again);
    const good = await publisher.publish();
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(6n);
    expect(h.store.getBlock(6n)).toEqual(good.block);
  });

  it('stops at a block the world state rejects, logging it once with its L1 tx', async () => {
    const seven = await publisher.publish();
    const strict = await createArchiverHarness({
      publicClient: l1.publicClient,
      beaconUrl: l1.anvil.url,
      rollupAddress: l1.deployment.addresses.rollup,
      reject: block => (block.header.globalVariables.blockNumber === 7n ? 'note hash tree root differs' : undefined),
    });
    others.push(strict);
    const err = await strict.archiver.sync().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiverError);
    expect((err as ArchiverError).code).toBe('ARCHIVER_BLOCK_REJECTED');
    expect((err as ArchiverError).message).toContain(seven.l1TxHash);
    expect(strict.store.getLatestBlockNumber()).toBe(6n);

    lines.length = 0;
    await strict.archiver.start();
    await expect.poll(() => lines.filter(l => l.includes('rejected L2 block 7')).length, { timeout: 10_000 }).toBe(1);
    await new Promise(resolve => setTimeout(resolve, 300)); // several more attempts, no more error lines
    await strict.archiver.stop();
    expect(lines.filter(l => l.startsWith('ERROR: archiver') && l.includes('rejected L2 block 7'))).toHaveLength(1);
    expect(strict.store.getLatestBlockNumber()).toBe(6n);

    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(7n);
  });

  it('rolls back to a block on request and downloads the rest again', async () => {
    const requests = h.blobRequests.length;
    await h.archiver.pauseSync();
    await h.archiver.rollbackTo(4n);
    expect(h.store.getLatestBlockNumber()).toBe(4n);
    expect(h.worldState.getBlockNumber()).toBe(4n);
    await expect(h.archiver.rollbackTo(9n)).rejects.toThrow(/cannot roll back to block 9/);
    h.archiver.resumeSync();
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(7n);
    expect(h.blobRequests.length - requests).toBe(3);
  });
});
