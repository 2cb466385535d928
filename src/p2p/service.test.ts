import { randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { ALICE_KEY, makeTx } from '../protocol/testing/index.js';
import { txHash } from '../types/index.js';
import { startTestNode, TEST_NETWORK, waitFor, type TestNode } from './testing/index.js';

let nodes: TestNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.map(n => n.stop()));
  nodes = [];
});

async function start(n: number, over: Parameters<typeof startTestNode>[0] = {}): Promise<TestNode[]> {
  const started = await Promise.all(Array.from({ length: n }, () => startTestNode(over)));
  nodes.push(...started);
  return started;
}

const meshPeers = (n: TestNode) =>
  (n.p2p.node.services.pubsub as unknown as { getMeshPeers(t: string): string[] }).getMeshPeers(n.p2p.topic('tx'));

/** Connects `a` to `b` and waits until each has the other in its tx topic mesh (so it forwards to it). */
async function link(a: TestNode, b: TestNode): Promise<void> {
  const addr = b.p2p.getMultiaddrs()[0];
  if (addr === undefined) throw new Error('node has no address');
  await a.p2p.dial(addr);
  await waitFor('tx topic mesh', () => {
    return meshPeers(a).includes(b.p2p.peerId) && meshPeers(b).includes(a.p2p.peerId);
  });
}

describe('P2PService', () => {
  it('gossips a tx from one node to the pools of the others (through a middle node)', async () => {
    const [a, b, c] = await start(3);
    if (!a || !b || !c) throw new Error('unreachable');
    await link(a, b);
    await link(c, b);
    const tx = await makeTx(ALICE_KEY);
    expect((await a.pool.add(tx)).accepted).toBe(true);
    await a.p2p.propagateTx(tx);
    const hash = txHash(tx);
    await waitFor(
      'tx in every pool',
      () => b.pool.getTxStatus(hash) === 'pending' && c.pool.getTxStatus(hash) === 'pending',
    );
  });

  it('drops malformed tx messages, penalizes the sender and bans it when it repeats', async () => {
    const [a, b, c] = await start(3);
    if (!a || !b || !c) throw new Error('unreachable');
    await link(a, b);
    await link(c, b);
    const seenByC: string[] = [];
    c.p2p.node.services.pubsub.addEventListener('gossipsub:message', evt => seenByC.push(evt.detail.msgId));

    await a.p2p.publish('tx', randomBytes(200));
    await waitFor('a penalty for a', () => b.p2p.scoring.getScore(a.p2p.peerId) < 0);
    expect(b.p2p.isConnected(a.p2p.peerId)).toBe(true);

    // A valid tx from b after the garbage: c gets it, and would have got the garbage first (same stream) had b
    // forwarded it.
    const tx = await makeTx(ALICE_KEY);
    expect((await b.pool.add(tx)).accepted).toBe(true);
    await b.p2p.propagateTx(tx);
    await waitFor('the valid tx at c', () => c.pool.getTxStatus(txHash(tx)) === 'pending');
    expect(seenByC).toHaveLength(1);

    await a.p2p.publish('tx', randomBytes(200));
    await waitFor(
      'a banned and disconnected',
      () => b.p2p.scoring.isBanned(a.p2p.peerId) && !b.p2p.isConnected(a.p2p.peerId),
    );
    // b refuses to dial the banned peer.
    await expect(b.p2p.dial(a.p2p.getMultiaddrs()[0] ?? '')).rejects.toThrow();
  });

  it('keeps two networks with different rollup addresses apart', async () => {
    const [a] = await start(1);
    const [other] = await start(1, {
      network: { ...TEST_NETWORK, rollupAddress: '0x00000000000000000000000000000000000b0b00' },
    });
    if (!a || !other) throw new Error('unreachable');
    expect(a.p2p.topic('tx')).not.toBe(other.p2p.topic('tx'));
    await other.p2p.dial(a.p2p.getMultiaddrs()[0] ?? '');
    await waitFor('a connection', () => a.p2p.isConnected(other.p2p.peerId));
    // Once `a` knows `other`'s subscriptions, it has none in common with it.
    await waitFor('subscriptions exchanged', () =>
      a.p2p.node.services.pubsub.getPeers().some(p => p.toString() === other.p2p.peerId),
    );
    const tx = await makeTx(ALICE_KEY);
    expect(await other.p2p.propagateTx(tx)).toBe(0);
    expect(a.p2p.getTopicPeers('tx')).toEqual([]);
    expect(a.pool.getTxStatus(txHash(tx))).toBeUndefined();
  });

  it('keeps at most P2P_MAX_PEERS connections', async () => {
    const [hub] = await start(1, { maxPeers: 1 });
    const others = await start(3);
    if (!hub) throw new Error('unreachable');
    const addr = hub.p2p.getMultiaddrs()[0] ?? '';
    await Promise.allSettled(others.map(o => o.p2p.dial(addr)));
    await waitFor('the hub pruned to one peer', () => hub.p2p.getPeers().length <= 1);
    await waitFor('the dialers see it', () => others.filter(o => o.p2p.isConnected(hub.p2p.peerId)).length <= 1);
    expect(hub.p2p.getPeers().length).toBeLessThanOrEqual(1);
  });
});
