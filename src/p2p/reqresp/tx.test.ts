import { afterEach, describe, expect, it } from 'vitest';

import { ALICE_KEY, makeTx } from '../../protocol/testing/index.js';
import { txHash, type Fr } from '../../types/index.js';
import { TestNodes } from '../testing/index.js';

const nodes = new TestNodes();
afterEach(() => nodes.stopAll());
const pair = nodes.pair.bind(nodes);

describe('txs by hash req/resp', () => {
  it('returns the txs a peer has, by hash', async () => {
    const [a, b] = await pair();
    const tx = await makeTx(ALICE_KEY);
    expect((await b.pool.add(tx)).accepted).toBe(true);
    const unknown = 12345n as Fr;
    const got = await a.p2p.requestTxsByHash(b.p2p.peerId, [txHash(tx), unknown]);
    expect(got.map(txHash)).toEqual([txHash(tx)]);
  });

  it('rate-limits each peer and penalizes it beyond the limit', async () => {
    const [a, b] = await pair({ reqRespRateLimit: { limit: 2, windowMs: 60_000 } });
    const ask = () => a.p2p.requestTxsByHash(b.p2p.peerId, [1n as Fr]);
    expect(await ask()).toEqual([]);
    expect(await ask()).toEqual([]);
    await expect(ask()).rejects.toThrow(/rate-limited/);
    expect(b.p2p.scoring.getScore(a.p2p.peerId)).toBeLessThan(0);
  });
});
