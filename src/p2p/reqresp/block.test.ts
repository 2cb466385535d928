import { randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { encodeL2Block, encodeTxEffect, MAX_L2_BLOCK_SIZE, type Fr, type L2Block } from '../../types/index.js';
import { randomTxEffect, TestRandom } from '../../types/testing/index.js';
import type { P2PLibp2p } from '../libp2p-node.js';
import { PENALTIES } from '../peer-scoring.js';
import { TestNodes, TEST_NETWORK, TestChain, waitFor, type TestNode } from '../testing/index.js';
import { reqRespProtocol } from '../topics.js';
import { BLOCK_PROTOCOL } from './block.js';
import { ReqRespStatus } from './core.js';

const nodes = new TestNodes();
afterEach(() => nodes.stopAll());
const pair = nodes.pair.bind(nodes);

const BLOCK_ID = reqRespProtocol(TEST_NETWORK, BLOCK_PROTOCOL.name);

/** Replaces `node`'s block handler with one that answers `bytes` to any request (or never answers). */
async function answerRaw(node: P2PLibp2p, bytes: Uint8Array | 'never'): Promise<void> {
  await node.unhandle(BLOCK_ID);
  await node.handle(BLOCK_ID, async stream => {
    if (bytes === 'never') return;
    stream.send(bytes);
    await stream.close();
  });
}

/** Scores that never reach a ban, so a test can pile penalties on one connection. */
const NO_BANS = { scoring: { banThreshold: -1e9 } };

/** Sends raw request bytes on the block protocol and returns the raw answer. */
async function rawRequest(from: TestNode, to: TestNode, request: Uint8Array): Promise<Buffer> {
  const peer = from.p2p.node.getPeers().find(p => p.toString() === to.p2p.peerId);
  if (!peer) throw new Error('not connected');
  const stream = await from.p2p.node.dialProtocol(peer, BLOCK_ID);
  stream.send(request);
  await stream.close();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk.subarray()));
  return Buffer.concat(chunks);
}

describe('block by number req/resp', () => {
  it('returns the block with that number, exactly as the server has it', async () => {
    const chain = new TestChain(3);
    const [a, b] = await pair({}, { chain });
    const want = chain.blocks[1]!;
    const got = await a.p2p.requestBlock(b.p2p.peerId, 2n);
    expect(got).toEqual(want);
    expect(encodeL2Block(got!)).toEqual(encodeL2Block(want));
    // With the archive root the requester knows (e.g. from L1).
    expect(await a.p2p.requestBlock(b.p2p.peerId, 2n, want.archive.root)).toEqual(want);
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBe(0);
  });

  it('carries a block near the largest size', async () => {
    const chain = new TestChain(1);
    const block = chain.blocks[0]!;
    const rng = new TestRandom(3);
    const effect = randomTxEffect(rng, { full: true });
    const room = MAX_L2_BLOCK_SIZE - encodeL2Block(block).length;
    block.body = Array.from({ length: Math.floor(room / encodeTxEffect(effect).length) }, () => effect);
    const size = encodeL2Block(block).length;
    expect(size).toBeGreaterThan(MAX_L2_BLOCK_SIZE * 0.9);
    const [a, b] = await pair({}, { chain });
    expect(encodeL2Block((await a.p2p.requestBlock(b.p2p.peerId, 1n))!)).toEqual(encodeL2Block(block));
  });

  it('answers not found for a block the server does not have, without penalties', async () => {
    const [a, b] = await pair({}, { chain: new TestChain(2) });
    expect(await a.p2p.requestBlock(b.p2p.peerId, 3n)).toBeUndefined();
    expect(await a.p2p.requestBlock(b.p2p.peerId, 0n)).toBeUndefined();
    expect(await rawRequest(a, b, Buffer.alloc(8, 0xff))).toEqual(Buffer.of(ReqRespStatus.NOT_FOUND));
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBe(0);
    expect(b.p2p.scoring.getScore(a.p2p.peerId)).toBe(0);
  });

  it('refuses and penalizes a request that is not a u64', async () => {
    const [a, b] = await pair(NO_BANS, { chain: new TestChain(2) });
    expect(await rawRequest(a, b, Buffer.of(1, 2, 3))).toEqual(Buffer.of(ReqRespStatus.BAD_REQUEST));
    await waitFor('a penalty', () => b.p2p.scoring.getScore(a.p2p.peerId) < 0);
    expect(await rawRequest(a, b, Buffer.alloc(9))).toEqual(Buffer.of(ReqRespStatus.BAD_REQUEST));
    await waitFor('a second penalty', () => b.p2p.scoring.getScore(a.p2p.peerId) < -PENALTIES.high - 1);
    await expect(a.p2p.requestBlock(b.p2p.peerId, -1n)).rejects.toThrow(RangeError);
    await expect(a.p2p.requestBlock(b.p2p.peerId, 2n ** 64n)).rejects.toThrow(RangeError);
  });

  it('gets a ban for a peer that keeps sending bad requests, after answering it', async () => {
    const [a, b] = await pair({}, { chain: new TestChain(2) });
    expect(await rawRequest(a, b, Buffer.of(1))).toEqual(Buffer.of(ReqRespStatus.BAD_REQUEST));
    expect(await rawRequest(a, b, Buffer.of(2))).toEqual(Buffer.of(ReqRespStatus.BAD_REQUEST));
    await waitFor(
      'a banned and disconnected',
      () => b.p2p.scoring.isBanned(a.p2p.peerId) && !b.p2p.isConnected(a.p2p.peerId),
    );
  });

  it('rejects and penalizes a server answering another block than the one asked for', async () => {
    const chain = new TestChain(3);
    const lying = { getBlock: (n: bigint): L2Block | undefined => chain.getBlock(n + 1n) };
    const [a, b] = await pair({}, { chain: { ...lying, ...statusOf(chain) } });
    await expect(a.p2p.requestBlock(b.p2p.peerId, 1n)).rejects.toThrow(/asked for block 1, got block 2/);
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBeCloseTo(-PENALTIES.high, 1);
  });

  it('rejects and penalizes garbage, an unknown status and a not-found answer with a payload', async () => {
    const [a, b] = await pair({}, { chain: new TestChain(1) }, NO_BANS);
    await answerRaw(b.p2p.node, Buffer.concat([Buffer.of(ReqRespStatus.OK), randomBytes(300)]));
    await expect(a.p2p.requestBlock(b.p2p.peerId, 1n)).rejects.toThrow(/invalid block response/);
    const first = a.p2p.scoring.getScore(b.p2p.peerId);
    expect(first).toBeLessThan(0);

    await answerRaw(b.p2p.node, Buffer.of(9));
    await expect(a.p2p.requestBlock(b.p2p.peerId, 1n)).rejects.toThrow(/unknown status 9/);
    await answerRaw(b.p2p.node, Buffer.of(ReqRespStatus.NOT_FOUND, 0));
    await expect(a.p2p.requestBlock(b.p2p.peerId, 1n)).rejects.toThrow(/NOT_FOUND answer carries a payload/);
    await answerRaw(b.p2p.node, new Uint8Array());
    await expect(a.p2p.requestBlock(b.p2p.peerId, 1n)).rejects.toThrow(/empty response/);
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBeLessThan(first);
  });

  it('rejects a block whose archive root is not the one the requester expects, with a light penalty', async () => {
    const chain = new TestChain(2);
    const [a, b] = await pair({}, { chain });
    const otherRoot = chain.blocks[0]!.archive.root;
    await expect(a.p2p.requestBlock(b.p2p.peerId, 2n, otherRoot)).rejects.toThrow(/another archive root/);
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBeCloseTo(-PENALTIES.low, 1);
  });

  it('gives up on a server that does not answer in time, without a penalty', async () => {
    const [a, b] = await pair({}, { chain: new TestChain(1) }, { reqRespTimeoutMs: 300 });
    await answerRaw(b.p2p.node, 'never');
    const started = Date.now();
    await expect(a.p2p.requestBlock(b.p2p.peerId, 1n)).rejects.toThrow(/block request to .* timed out/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBe(0);
  });

  it('rate-limits each peer per protocol', async () => {
    const [a, b] = await pair({ reqRespRateLimit: { limit: 2, windowMs: 60_000 } }, { chain: new TestChain(1) });
    const ask = () => a.p2p.requestBlock(b.p2p.peerId, 1n);
    expect(await ask()).toBeDefined();
    expect(await ask()).toBeDefined();
    await expect(ask()).rejects.toThrow(/rate-limited the block request/);
    expect(b.p2p.scoring.getScore(a.p2p.peerId)).toBeCloseTo(-PENALTIES.mid, 1);
    // The tx protocol has its own budget.
    expect(await a.p2p.requestTxsByHash(b.p2p.peerId, [1n as Fr])).toEqual([]);
  });
});

/** The status part of a chain source. */
function statusOf(chain: TestChain) {
  return {
    getLatestBlockNumber: () => chain.getLatestBlockNumber(),
    getArchiveRoot: (n: bigint) => chain.getArchiveRoot(n),
    getProvenBlockNumber: () => chain.getProvenBlockNumber(),
  };
}
