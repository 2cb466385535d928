import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { computeRootFromPath, zeroHashes } from '../../foundation/crypto/index.js';
import { blobsToBytes, blobVersionedHashes, computeBlobsHash } from '../../l1/blobs/index.js';
import {
  computeOutHash,
  decodeBlockBody,
  feeJuiceBalanceSlot,
  frToBuffer,
  frFromBuffer,
  hashToFr,
  headerHash,
  type Fr,
  type Tx,
} from '../../types/index.js';
import type { WorldStateFork } from '../../world-state/types.js';
import {
  ALICE,
  ALICE_KEY,
  BOB,
  BOB_KEY,
  commitFundingBlock,
  depositLeaf,
  freshFr,
  makeTx,
  MemoryWorldState,
  openTestWorld,
  TEST_CHAIN_ID,
  TEST_PORTAL,
  testGlobals,
  type TestWorld,
} from '../testing/index.js';
import { buildBlock, type BuildBlockOptions } from './build-block.js';
import { computeInHash } from '../../types/in-hash.js';

let world: TestWorld;
const forks: WorldStateFork[] = [];
const secret = 77n as Fr;
// Block 2's messages: a deposit to Bob at global index 16 (the first leaf of block 2's tree).
const messages = [depositLeaf(BOB, 10n ** 9n, secret, 16n), hashToFr(Buffer.from('other message'))];

beforeEach(async () => {
  world = await openTestWorld();
  await commitFundingBlock(world, [[ALICE, 10n ** 12n]]);
});
afterEach(async () => {
  for (const f of forks.splice(0)) f.discard();
  await world.store.close();
});

function options(txs: Tx[], over: Partial<BuildBlockOptions> = {}): BuildBlockOptions {
  const fork = world.worldState.fork();
  forks.push(fork);
  return {
    fork,
    txs,
    globals: testGlobals(2n),
    l1ToL2Messages: messages,
    l1ChainId: TEST_CHAIN_ID,
    feeJuicePortal: TEST_PORTAL,
    ...over,
  };
}

async function sampleTxs(): Promise<Tx[]> {
  return [
    await makeTx(ALICE_KEY, {
      l2ToL1Messages: [{ recipient: '0x00000000000000000000000000000000000000aa', content: 1n as Fr }],
      noteHashes: [freshFr()],
    }),
    await makeTx(BOB_KEY, { actions: [{ type: 'claim', to: BOB, amount: 10n ** 9n, secret, leafIndex: 16n }] }),
    await makeTx(BOB_KEY), // unfunded before the claim: fails if ordered first, fine after it
    await makeTx(ALICE_KEY, {
      actions: [{ type: 'transfer', to: BOB, amount: 5n }],
      l2ToL1Messages: [
        { recipient: '0x00000000000000000000000000000000000000bb', content: 2n as Fr },
        { recipient: '0x00000000000000000000000000000000000000cc', content: 3n as Fr },
      ],
    }),
  ];
}

describe('buildBlock', () => {
  it('fills the header from the body, the messages, the blobs and the fork', async () => {
    const txs = await sampleTxs();
    const bad = await makeTx(ALICE_KEY, { version: 5n });
    const opts = options([...txs, bad]);
    const lastArchive = opts.fork.getArchiveSnapshot();
    const built = await buildBlock(opts);
    const { header, body } = built.block;

    expect(built.included).toEqual(txs);
    expect(built.failed).toEqual([
      { tx: bad, rejection: expect.objectContaining({ code: 'WRONG_VERSION' }) as object },
    ]);
    expect(header.contentCommitment.numTxs).toBe(4);
    expect(header.totalFees).toBe(body.reduce((s, e) => s + e.transactionFee, 0n));
    expect(header.totalFees).toBeGreaterThan(0n);
    expect(header.totalManaUsed).toBe(
      BigInt(11_000 + 1_000 + 5_000 + (11_000 + 20_000) + 11_000 + (11_000 + 10_000 + 20_000)),
    );
    expect(built.versionedHashes).toEqual(blobVersionedHashes(built.blobs));
    expect(header.contentCommitment.blobsHash).toBe(BigInt(computeBlobsHash(built.versionedHashes)));
    expect(decodeBlockBody(blobsToBytes(built.blobs))).toEqual(body);
    const leaves = body.flatMap(e => e.l2ToL1Messages);
    expect(leaves).toHaveLength(3);
    expect(header.contentCommitment.outHash).toBe(computeOutHash(leaves));
    const z = zeroHashes(4);
    const inRoot = computeRootFromPath(frToBuffer(messages[0]!), 0n, [frToBuffer(messages[1]!), z[1]!, z[2]!, z[3]!]);
    expect(header.contentCommitment.inHash).toBe(frFromBuffer(inRoot));
    expect(computeInHash(messages)).toBe(frFromBuffer(inRoot));
    expect(header.lastArchive).toEqual(lastArchive);
    expect(header.state).toEqual(opts.fork.getStateReference());
    expect(header.globalVariables).toEqual(testGlobals(2n));
    expect(built.block.archive).toEqual(opts.fork.getArchiveSnapshot());
    expect(built.block.archive.nextAvailableLeafIndex).toBe(3);

    // A validator re-executing: applying the block to its own world state reproduces header and archive.
    const fork = opts.fork;
    world.store.transactionSync(() => fork.commitSync(2n));
    expect(world.worldState.getRoot('archive')).toBe(built.block.archive.root);
    expect(world.worldState.getLeaf('archive', 2n)).toBe(headerHash(header));
  });

  it('is deterministic: the same inputs give the same header hash', async () => {
    const txs = await sampleTxs();
    const a = await buildBlock(options(txs));
    const b = await buildBlock(options(txs));
    expect(headerHash(b.block.header)).toBe(headerHash(a.block.header));
    expect(b.block).toEqual(a.block);
    expect(b.versionedHashes).toEqual(a.versionedHashes);
  });

  it('a follower world state accepts the block with prepareBlock', async () => {
    const txs = await sampleTxs();
    const built = await buildBlock(options(txs));
    const other = await openTestWorld();
    try {
      await commitFundingBlock(other, [[ALICE, 10n ** 12n]]);
      const fork = other.worldState.prepareBlock(built.block, messages);
      other.store.transactionSync(() => fork.commitSync(2n));
      expect(other.worldState.getRoot('archive')).toBe(built.block.archive.root);
    } finally {
      await other.store.close();
    }
  });

  it('gives the same block on the reference in-memory world state', async () => {
    const txs = await sampleTxs();
    const built = await buildBlock(options(txs));
    const mem = new MemoryWorldState();
    const funding = mem.fork();
    // The same funding as commitFundingBlock: Alice's balance, then an empty block 1.
    funding.writePublicData(feeJuiceBalanceSlot(ALICE), (10n ** 12n) as Fr);
    await buildBlock({ ...options([]), fork: funding, globals: testGlobals(1n), l1ToL2Messages: [] });
    funding.commitSync(1n);
    const again = await buildBlock({ ...options(txs), fork: mem.fork() });
    expect(headerHash(again.block.header)).toBe(headerHash(built.block.header));
  });

  it('sees earlier txs of the block before its trees are written: a repeated nullifier is refused, balances carry', async () => {
    const shared = freshFr();
    const first = await makeTx(ALICE_KEY, {
      nullifiers: [shared],
      actions: [{ type: 'transfer', to: BOB, amount: 10n ** 9n }],
    });
    const clash = await makeTx(ALICE_KEY, { nullifiers: [freshFr(), shared] });
    // BOB holds only what `first` sends him: `spend` pays from a balance written earlier in the block.
    const spend = await makeTx(BOB_KEY, { actions: [{ type: 'transfer', to: ALICE, amount: 1n }] });
    const opts = options([first, clash, spend], { l1ToL2Messages: [] });
    const before = opts.fork.getStateReference().nullifierTree;
    const built = await buildBlock(opts);
    expect(built.included).toEqual([first, spend]);
    expect(built.failed.map(f => f.rejection.code)).toEqual(['DUPLICATE_NULLIFIER']);
    // The nullifier tree grew by the included txs' nullifiers only, once each.
    expect(built.block.header.state.nullifierTree.nextAvailableLeafIndex).toBe(before.nextAvailableLeafIndex + 2);
    expect(built.timings.totalMs).toBeGreaterThan(0);
    // Applied tx by tx on another world state, the same body gives the same trees as the batched inserts.
    const other = await openTestWorld();
    try {
      await commitFundingBlock(other, [[ALICE, 10n ** 12n]]);
      const fork = other.worldState.prepareBlock(built.block, []);
      expect(fork.getStateReference()).toEqual(built.block.header.state);
      fork.discard();
    } finally {
      await other.store.close();
    }
  });

  it('stops at maxTxsPerBlock', async () => {
    const txs = await Promise.all([1, 2, 3, 4, 5].map(() => makeTx(ALICE_KEY)));
    const built = await buildBlock(options(txs, { maxTxsPerBlock: 2 }));
    expect(built.included).toEqual(txs.slice(0, 2));
    expect(built.block.header.contentCommitment.numTxs).toBe(2);
  });

  it('defers txs whose effects do not fit in the blob limit', async () => {
    const big = () =>
      makeTx(ALICE_KEY, {
        nullifiers: Array.from({ length: 64 }, freshFr),
        noteHashes: Array.from({ length: 64 }, freshFr),
        publicLogs: Array.from({ length: 8 }, () => Array.from({ length: 32 }, freshFr)),
      });
    const txs = await Promise.all(Array.from({ length: 11 }, big));
    const built = await buildBlock(options(txs, { maxBlobs: 1 }));
    expect(built.blobs).toHaveLength(1);
    expect(built.included.length).toBe(10);
    expect(built.deferred).toEqual([txs[10]]);
    expect(built.failed).toEqual([]);
  });

  it("leaves out, as deferred, txs whose max fees are below the block's base fees", async () => {
    const paying = await makeTx(ALICE_KEY);
    const cheap = await makeTx(ALICE_KEY, {
      gasSettings: {
        gasLimits: { daGas: 100_000, l2Gas: 1_000_000 },
        maxFeesPerGas: { feePerDaGas: 10n, feePerL2Gas: 1n },
      },
    });
    const built = await buildBlock(options([cheap, paying]));
    expect(built.included).toEqual([paying]);
    expect(built.deferred).toEqual([cheap]);
    expect(built.failed).toEqual([]);
    // Once base fees fall to what it offers, it is included.
    const later = await buildBlock(
      options([cheap], { globals: testGlobals(2n, { gasFees: { feePerDaGas: 1n, feePerL2Gas: 1n } }) }),
    );
    expect(later.included).toEqual([cheap]);
  });

  it('an empty block: inHash of 16 zero leaves is the empty height-4 root, outHash 0, one blob', async () => {
    const built = await buildBlock(options([], { l1ToL2Messages: [] }));
    const { contentCommitment, totalFees, totalManaUsed } = built.block.header;
    expect(contentCommitment.inHash).toBe(frFromBuffer(zeroHashes(4)[4]!));
    expect(contentCommitment.outHash).toBe(0n);
    expect(contentCommitment.numTxs).toBe(0);
    expect([totalFees, totalManaUsed]).toEqual([0n, 0n]);
    expect(built.blobs).toHaveLength(1);
  });

  it('refuses bad inputs with typed errors', async () => {
    await expect(buildBlock(options([], { globals: testGlobals(3n) }))).rejects.toMatchObject({
      code: 'BLOCK_NUMBER_MISMATCH',
    });
    const lastArchive = { root: 1n as Fr, nextAvailableLeafIndex: 2 };
    await expect(buildBlock(options([], { lastArchive }))).rejects.toMatchObject({ code: 'LAST_ARCHIVE_MISMATCH' });
    const seventeen = Array.from({ length: 17 }, freshFr);
    await expect(buildBlock(options([], { l1ToL2Messages: seventeen }))).rejects.toMatchObject({
      code: 'TOO_MANY_L1_TO_L2_MESSAGES',
    });
    await expect(buildBlock(options([], { maxBlobs: 7 }))).rejects.toMatchObject({ code: 'BAD_LIMIT' });
  });
});
