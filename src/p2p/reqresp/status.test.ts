import { afterEach, describe, expect, it } from 'vitest';

import { DecodeError } from '../../foundation/serialization/index.js';
import { FR_ZERO, frToHex, type Fr } from '../../types/index.js';
import { PENALTIES } from '../peer-scoring.js';
import { TestNodes, TEST_NETWORK, TestChain, waitFor } from '../testing/index.js';
import { reqRespProtocol } from '../topics.js';
import { ReqRespStatus } from './core.js';
import { decodeChainStatus, encodeChainStatus, STATUS_PROTOCOL, statusHandler, type ChainStatus } from './status.js';

const nodes = new TestNodes();
afterEach(() => nodes.stopAll());
const pair = nodes.pair.bind(nodes);

const STATUS: ChainStatus = {
  latestBlockNumber: 7n,
  latestArchiveRoot: 0x1234n as Fr,
  provenBlockNumber: 4n,
  nodeVersion: 'aztec-test/1.2.3',
};

describe('status encoding', () => {
  it('round-trips and is exactly 8 + 32 + 8 + 1 + version bytes', () => {
    const bytes = encodeChainStatus(STATUS);
    expect(bytes.length).toBe(49 + STATUS.nodeVersion.length);
    expect(decodeChainStatus(bytes)).toEqual(STATUS);
  });

  it('rejects trailing bytes, block numbers no chain can reach, long versions and bad UTF-8', () => {
    const bytes = encodeChainStatus(STATUS);
    expect(() => decodeChainStatus(Buffer.concat([bytes, Buffer.of(0)]))).toThrow(DecodeError);
    const huge = Buffer.from(bytes);
    huge.writeBigUInt64BE(2n ** 40n, 0);
    expect(() => decodeChainStatus(huge)).toThrow(/status.latestBlockNumber/);
    const long = Buffer.concat([bytes.subarray(0, 48), Buffer.of(65), Buffer.alloc(65, 0x61)]);
    expect(() => decodeChainStatus(long)).toThrow(DecodeError);
    const badUtf8 = Buffer.concat([bytes.subarray(0, 48), Buffer.of(1), Buffer.of(0xff)]);
    expect(() => decodeChainStatus(badUtf8)).toThrow(TypeError);
    expect(() => statusHandler(new TestChain(), 'v'.repeat(65))).toThrow(RangeError);
  });
});

describe('status req/resp', () => {
  it("returns the peer's latest block, its archive root, the proven block and the node version", async () => {
    const chain = new TestChain(3);
    chain.provenBlockNumber = 2n;
    const [a, b] = await pair({ nodeVersion: 'aztec-test/1.2.3' }, { chain });
    expect(await a.p2p.requestStatus(b.p2p.peerId)).toEqual({
      latestBlockNumber: 3n,
      latestArchiveRoot: chain.blocks[2]!.archive.root,
      provenBlockNumber: 2n,
      nodeVersion: 'aztec-test/1.2.3',
    });
    chain.grow(2);
    expect((await a.p2p.requestStatus(b.p2p.peerId)).latestBlockNumber).toBe(5n);
  });

  it('reports block 0 with a zero archive root while the chain has only genesis', async () => {
    const [a, b] = await pair({}, { chain: new TestChain() });
    expect(await a.p2p.requestStatus(b.p2p.peerId)).toEqual({
      latestBlockNumber: 0n,
      latestArchiveRoot: FR_ZERO,
      provenBlockNumber: 0n,
      nodeVersion: 'unknown',
    });
  });

  it('asks each new peer its status once and shows it in the peer info', async () => {
    const chain = new TestChain(2);
    chain.provenBlockNumber = 1n;
    const [a, b] = await pair({ nodeVersion: '0.1.0' }, { chain });
    const infoOfB = () => a.p2p.getPeerInfo().find(p => p.id === b.p2p.peerId);
    await waitFor("b's status at a", () => infoOfB()?.status !== undefined);
    expect(infoOfB()?.status).toEqual({
      latestBlockNumber: 2,
      latestArchiveRoot: frToHex(chain.blocks[1]!.archive.root),
      provenBlockNumber: 1,
      nodeVersion: '0.1.0',
    });
    // `a` serves no chain: `b` gets no status from it, and nobody is penalized for that.
    expect(b.p2p.getPeerInfo().find(p => p.id === a.p2p.peerId)?.status).toBeUndefined();
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBe(0);
    expect(b.p2p.scoring.getScore(a.p2p.peerId)).toBe(0);
  });

  it('rejects and penalizes a status that does not decode', async () => {
    const [a, b] = await pair({}, { chain: new TestChain(1) });
    // The status asked on connection, from the honest handler, first.
    await waitFor("b's status at a", () => a.p2p.getPeerInfo()[0]?.status !== undefined);
    const id = reqRespProtocol(TEST_NETWORK, STATUS_PROTOCOL.name);
    await b.p2p.node.unhandle(id);
    await b.p2p.node.handle(id, async stream => {
      stream.send(Buffer.concat([Buffer.of(ReqRespStatus.OK), encodeChainStatus(STATUS).subarray(0, 20)]));
      await stream.close();
    });
    await expect(a.p2p.requestStatus(b.p2p.peerId)).rejects.toThrow(/invalid status response/);
    expect(a.p2p.scoring.getScore(b.p2p.peerId)).toBeCloseTo(-PENALTIES.high, 1);
  });

  it('rate-limits each peer, apart from the other protocols', async () => {
    const chain = new TestChain(1);
    const [a, b] = await pair({ reqRespRateLimit: { limit: 2, windowMs: 60_000 } }, { chain });
    // The status asked on connection takes one of the two.
    await waitFor("b's status at a", () => a.p2p.getPeerInfo()[0]?.status !== undefined);
    expect((await a.p2p.requestStatus(b.p2p.peerId)).latestBlockNumber).toBe(1n);
    await expect(a.p2p.requestStatus(b.p2p.peerId)).rejects.toThrow(/rate-limited the status request/);
    expect(b.p2p.scoring.getScore(a.p2p.peerId)).toBeCloseTo(-PENALTIES.mid, 1);
    expect(await a.p2p.requestBlock(b.p2p.peerId, 1n)).toEqual(chain.blocks[0]);
  });
});
