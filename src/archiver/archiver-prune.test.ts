import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestL1, type TestL1 } from '../../test/helpers/l1.js';
import { L1BlockPublisher } from '../../test/helpers/l1-blocks.js';
import { configureLogging } from '../foundation/log/index.js';
import { headerHash } from '../types/header-codec.js';
import { createArchiverHarness, type ArchiverHarness } from './testing/index.js';

const lines: string[] = [];

// The test network: slots of 8 s, epochs of 8 slots, a proof window of 16 slots.
describe('Archiver on L2 prunes (anvil)', () => {
  let l1: TestL1;
  let publisher: L1BlockPublisher;
  let h: ArchiverHarness;

  beforeAll(async () => {
    configureLogging({ sink: line => lines.push(line), json: false, level: 'info' });
    l1 = await startTestL1();
    publisher = new L1BlockPublisher(l1, { seed: 5 });
    h = await createArchiverHarness({
      publicClient: l1.publicClient,
      beaconUrl: l1.anvil.url,
      rollupAddress: l1.deployment.addresses.rollup,
    });
  });

  afterAll(async () => {
    await h?.close();
    await l1?.stop();
    configureLogging({ sink: line => process.stderr.write(line + '\n'), level: process.env['LOG_LEVEL'] ?? 'warn' });
  });

  it('records the proven and finalized tips', async () => {
    const epoch0 = await publisher.publishMany(2);
    await publisher.warpToSlot(8n);
    await publisher.proveEpoch(1n, 2n);
    // anvil calls a block finalized 64 blocks behind the head.
    await publisher.rpc('anvil_mine', [70, 1]);
    await publisher.publishMany(2);
    await h.archiver.sync();
    const tips = h.store.getTips();
    expect(tips.latest.number).toBe(4n);
    expect(tips.proven).toEqual({ number: 2n, hash: headerHash(epoch0[1]!.block.header) });
    expect(tips.finalized).toEqual({ number: 2n, hash: headerHash(epoch0[1]!.block.header) });
    expect(h.events).toContainEqual({ type: 'chain-proven', blockNumber: 2n });
    expect(h.events).toContainEqual({ type: 'chain-finalized', blockNumber: 2n });
  });

  it('unwinds to the proven tip when L1 prunes the unproven blocks', async () => {
    const slot = await publisher.currentSlot();
    const epoch = slot / 8n;
    await publisher.warpToSlot((epoch + 1n) * 8n + 16n);
    await publisher.prune();
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(2n);
    expect(h.worldState.getBlockNumber()).toBe(2n);
    expect(h.events).toContainEqual({ type: 'chain-pruned', blockNumber: 2n, removed: [3n, 4n], reason: 'l2-prune' });
    expect(lines.some(l => l.startsWith('WARN: archiver L2 chain pruned: unwinding from block 4 to block 2'))).toBe(
      true,
    );

    const next = await publisher.publish();
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(3n);
    expect(h.store.getBlock(3n)).toEqual(next.block);
  });

  it('follows a prune and re-proposal that both happened between two syncs', async () => {
    await publisher.publish(); // block 4
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(4n);
    const epoch = (await publisher.currentSlot()) / 8n;
    await publisher.warpToSlot((epoch + 1n) * 8n + 16n);
    // propose prunes (to block 2) before it checks the header: this is block 3 again.
    const [three, four] = await publisher.publishMany(2);
    expect(three!.block.header.globalVariables.blockNumber).toBe(3n);
    await h.archiver.sync();
    expect(h.store.getLatestBlockNumber()).toBe(4n);
    expect(h.store.getBlock(3n)).toEqual(three!.block);
    expect(h.store.getBlock(4n)).toEqual(four!.block);
    expect(h.worldState.unwinds.at(-1)).toBe(2n);
  });
});
