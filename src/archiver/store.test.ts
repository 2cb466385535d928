import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openKvStore, type KvStore } from '../kv/index.js';
import { asL2BlockNumber } from '../foundation/types/branded.js';
import { asFr, FR_ZERO, type Fr } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import type { L2Block } from '../types/l2-block.js';
import { randomL2Block, TestRandom } from '../types/testing/index.js';
import { ArchiverStore } from './store.js';
import type { PublishedL2Block } from './types.js';

function published(rng: TestRandom, n: number): PublishedL2Block {
  const block: L2Block = randomL2Block(rng, 3);
  block.header.globalVariables.blockNumber = asL2BlockNumber(n);
  block.body.forEach((e, i) => (e.txHash = asFr(BigInt(n) * 1000n + BigInt(i) + 1n)));
  block.archive = { root: asFr(100 + n), nextAvailableLeafIndex: n + 1 };
  return {
    block,
    headerHash: headerHash(block.header),
    l1: {
      l1BlockNumber: BigInt(10 + n),
      l1BlockHash: `0x${'ab'.repeat(32)}`,
      l1TxHash: `0x${'cd'.repeat(32)}`,
      l1Timestamp: 99n,
      attestations: 3,
    },
  };
}

describe('ArchiverStore', () => {
  let kv: KvStore;
  let store: ArchiverStore;
  const rng = new TestRandom(42);

  beforeEach(async () => {
    kv = await openKvStore({ name: 'archiver-store-test' });
    store = new ArchiverStore(kv);
  });
  afterEach(() => kv.close());

  it('is empty at genesis', () => {
    expect(store.getLatestBlockNumber()).toBe(0n);
    expect(store.getBlock(1n)).toBeUndefined();
    expect(store.getTips()).toEqual({ latest: { number: 0n }, proven: { number: 0n }, finalized: { number: 0n } });
    expect(store.getBlocksSyncPoint()).toBeUndefined();
    expect(store.getL1ToL2Messages(1n)).toEqual(Array(16).fill(FR_ZERO));
  });

  it('stores blocks with their L1 info, header, archive and tx index', () => {
    const blocks = [1, 2, 3].map(n => published(rng, n));
    for (const b of blocks) store.addBlock(b);
    expect(store.getLatestBlockNumber()).toBe(3n);
    expect(store.getBlock(2n)).toEqual(blocks[1]!.block);
    expect(store.getPublishedBlock(2n)).toEqual(blocks[1]);
    expect(store.getBlockHeader(3n)).toEqual(blocks[2]!.block.header);
    expect(store.getArchiveRoot(3n)).toBe(103n);
    expect(store.getBlocks(2n, 5)).toEqual([blocks[1]!.block, blocks[2]!.block]);
    expect(store.getTxLocation(asFr(2002))).toEqual({ blockNumber: 2n, index: 1 });
    expect(store.getTxLocation(asFr(7))).toBeUndefined();
  });

  it('keeps the committee signatures a block carried on L1, and reads a block stored without them as before', () => {
    const signed = published(rng, 1);
    const signatures = [
      { v: 27, r: `0x${'01'.repeat(32)}`, s: `0x${'02'.repeat(32)}` },
      { v: 28, r: `0x${'03'.repeat(32)}`, s: `0x${'04'.repeat(32)}` },
    ] as const;
    signed.l1 = { ...signed.l1, attestations: 2, signatures };
    store.addBlock(signed);
    store.addBlock(published(rng, 2));
    expect(store.getPublishedBlock(1n)!.l1.signatures).toEqual(signatures);
    expect(store.getPublishedBlock(2n)!.l1).not.toHaveProperty('signatures');
  });

  it('unwinds blocks and their tx index, clamping proven and finalized', () => {
    for (const n of [1, 2, 3]) store.addBlock(published(rng, n));
    store.setProvenBlockNumber(3n);
    store.setFinalizedBlockNumber(2n);
    expect(store.unwindTo(1n)).toEqual([2n, 3n]);
    expect(store.getLatestBlockNumber()).toBe(1n);
    expect(store.getTxLocation(asFr(2001))).toBeUndefined();
    expect(store.getTxLocation(asFr(1001))).toEqual({ blockNumber: 1n, index: 0 });
    expect(store.getProvenBlockNumber()).toBe(1n);
    expect(store.getFinalizedBlockNumber()).toBe(1n);
  });

  it('reports tips with header hashes, never above the latest block', () => {
    const blocks = [1, 2].map(n => published(rng, n));
    for (const b of blocks) store.addBlock(b);
    store.setProvenBlockNumber(5n);
    store.setFinalizedBlockNumber(1n);
    expect(store.getTips()).toEqual({
      latest: { number: 2n, hash: blocks[1]!.headerHash },
      proven: { number: 2n, hash: blocks[1]!.headerHash },
      finalized: { number: 1n, hash: blocks[0]!.headerHash },
    });
  });

  it('keeps L1 to L2 messages per block and removes those of reorged L1 blocks', () => {
    const msg = (l2: bigint, index: bigint, leaf: Fr, l1: bigint) => ({
      l2BlockNumber: l2,
      index,
      leaf,
      l1BlockNumber: l1,
      l1BlockHash: `0x${'11'.repeat(32)}` as const,
    });
    store.addL1ToL2Messages([msg(2n, 16n, asFr(5), 20n), msg(2n, 17n, asFr(6), 21n), msg(3n, 32n, asFr(7), 22n)]);
    const two = store.getL1ToL2Messages(2n);
    expect(two.slice(0, 3)).toEqual([5n, 6n, 0n]);
    expect(store.getL1ToL2Messages(3n)[0]).toBe(7n);
    expect(store.removeL1ToL2MessagesAfter(20n)).toBe(2);
    expect(store.getL1ToL2Messages(2n).slice(0, 2)).toEqual([5n, 0n]);
    expect(store.getL1ToL2Messages(3n)[0]).toBe(0n);
  });

  it('keeps sync points with and without a hash', () => {
    store.setBlocksSyncPoint({ l1BlockNumber: 9n });
    expect(store.getBlocksSyncPoint()).toEqual({ l1BlockNumber: 9n });
    store.setMessagesSyncPoint({ l1BlockNumber: 12n, l1BlockHash: `0x${'22'.repeat(32)}` });
    expect(store.getMessagesSyncPoint()).toEqual({ l1BlockNumber: 12n, l1BlockHash: `0x${'22'.repeat(32)}` });
  });

  it('rolls back everything written in a failed transaction', () => {
    expect(() =>
      store.transactionSync(() => {
        store.addBlock(published(rng, 1));
        store.setBlocksSyncPoint({ l1BlockNumber: 11n });
        throw new Error('world state commit failed');
      }),
    ).toThrow('world state commit failed');
    expect(store.getLatestBlockNumber()).toBe(0n);
    expect(store.getBlocksSyncPoint()).toBeUndefined();
  });
});
