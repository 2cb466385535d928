import { ENR } from '@chainsafe/enr';
import { afterEach, describe, expect, it } from 'vitest';

import { getFreePort } from '../foundation/net/free-port.js';
import { ALICE_KEY, makeTx } from '../sequencer/testing/index.js';
import { txHash } from '../types/index.js';
import { P2PBootstrap } from './bootstrap.js';
import { generatePeerPrivateKeyHex } from './peer-key.js';
import { startTestNode, waitFor, type TestNode } from './testing/index.js';

let nodes: TestNode[] = [];
let bootnode: P2PBootstrap | undefined;
afterEach(async () => {
  await Promise.all(nodes.map(n => n.stop()));
  await bootnode?.stop();
  nodes = [];
  bootnode = undefined;
});

describe('discovery', () => {
  it('connects nodes that only know a bootnode ENR, and gossips a tx between them', async () => {
    const port = await getFreePort();
    bootnode = new P2PBootstrap({
      privateKey: generatePeerPrivateKeyHex(),
      p2pIp: '127.0.0.1',
      p2pPort: port,
      listenAddress: '127.0.0.1',
    });
    await bootnode.start();
    const enr = bootnode.getEnr();
    expect(enr).toMatch(/^enr:/);
    nodes = await Promise.all(
      [0, 1, 2].map(() =>
        startTestNode({ discovery: true, p2pIp: '127.0.0.1', bootstrapNodes: [enr], discoveryIntervalMs: 200 }),
      ),
    );
    // One key for both: the ENR names the libp2p peer id.
    for (const n of nodes) expect(ENR.decodeTxt(n.p2p.getEnr() ?? '').peerId.toString()).toBe(n.p2p.peerId);
    const [a, b, c] = nodes;
    if (!a || !b || !c) throw new Error('unreachable');
    await waitFor('every node connected to the two others', () =>
      nodes.every(n => nodes.every(m => m === n || n.p2p.isConnected(m.p2p.peerId))),
    );
    await waitFor('tx topic peers', () => nodes.every(n => n.p2p.getTopicPeers('tx').length === 2));
    const tx = await makeTx(ALICE_KEY);
    expect((await a.pool.add(tx)).accepted).toBe(true);
    await a.p2p.propagateTx(tx);
    await waitFor('the tx in every pool', () => [b, c].every(n => n.pool.getTxStatus(txHash(tx)) === 'pending'));
  });
});
