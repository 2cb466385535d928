import { ENR } from '@chainsafe/enr';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { configureLogging } from '../foundation/log/index.js';
import { getFreePort } from '../foundation/net/free-port.js';
import { ALICE_KEY, makeTx } from '../protocol/testing/index.js';
import { txHash } from '../types/index.js';
import type { P2PBootstrap } from './bootstrap.js';
import { startLoopbackBootnode, startTestNode, waitFor, type TestNode } from './testing/index.js';

const VI_WAIT = { timeout: 20_000, interval: 50 };

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
    bootnode = await startLoopbackBootnode();
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

  it('with P2P_QUERY_FOR_IP and no P2P_IP, learns its address from peers, puts it in its ENR and announces it', async () => {
    bootnode = await startLoopbackBootnode();
    const boot = [bootnode.getEnr()];
    const port = await getFreePort();
    // Listening on every interface: until it learns its address, libp2p announces each of them. Two peers must agree
    // on the address: the bootnode's vote alone is not enough.
    const learner = await startTestNode({
      discovery: true,
      listenAddress: '0.0.0.0',
      p2pPort: port,
      queryForIp: true,
      addrVotesToUpdateEnr: 2,
      bootstrapNodes: boot,
      discoveryIntervalMs: 200,
    });
    nodes.push(learner);
    const announced = `/ip4/127.0.0.1/tcp/${port}`;
    const addressesOf = async (viewer: TestNode) => {
      const peer = viewer.p2p.node.getPeers().find(p => p.toString() === learner.p2p.peerId);
      if (!peer) return [];
      return (await viewer.p2p.node.peerStore.get(peer)).addresses.map(a => a.multiaddr.toString());
    };

    // A peer connected before the address is known (libp2p only, no discovery): identify gave it every interface.
    const early = await startTestNode();
    nodes.push(early);
    await early.p2p.dial(`${announced}/p2p/${learner.p2p.peerId}`);
    await vi.waitFor(async () => expect((await addressesOf(early)).length).toBeGreaterThan(1), VI_WAIT);
    const enrOf = (n: TestNode) => ENR.decodeTxt(n.p2p.getEnr() ?? '');
    expect(enrOf(learner).ip).toBeUndefined();

    // A second discv5 peer: the learner finds it through the bootnode, pings it, and now two peers agree.
    const voter = await startTestNode({
      discovery: true,
      p2pIp: '127.0.0.1',
      bootstrapNodes: boot,
      discoveryIntervalMs: 200,
    });
    nodes.push(voter);
    // Under CI's load a discv5 PING or its answer can time out and be retried: allow for several rounds of them.
    await waitFor('an IP in the ENR', () => enrOf(learner).ip !== undefined, 60_000);
    // The peers saw the PINGs come from 127.0.0.1 and the UDP port; TCP is P2P_PORT.
    expect(enrOf(learner)).toMatchObject({ ip: '127.0.0.1', udp: port, tcp: port });
    expect(learner.p2p.getMultiaddrs()).toEqual([`${announced}/p2p/${learner.p2p.peerId}`]);
    // Identify pushes it to the peer already connected, and gives it to the one that connects now.
    await vi.waitFor(async () => expect(await addressesOf(early)).toEqual([announced]), VI_WAIT);
    await waitFor('the voter connected', () => voter.p2p.isConnected(learner.p2p.peerId), 20_000);
    await vi.waitFor(async () => expect(await addressesOf(voter)).toEqual([announced]), VI_WAIT);
  }, 150_000);

  it('without P2P_IP or P2P_QUERY_FOR_IP, warns that the ENR has no IP and names both settings', async () => {
    const lines: string[] = [];
    configureLogging({ sink: line => lines.push(line) });
    try {
      const node = await startTestNode({ discovery: true, bootstrapNodes: [] });
      nodes.push(node);
      expect(ENR.decodeTxt(node.p2p.getEnr() ?? '').ip).toBeUndefined();
      const warning = lines.find(l => l.includes('ENR has no IP address'));
      expect(warning).toMatch(/cannot dial it/);
      expect(warning).toMatch(/P2P_IP/);
      expect(warning).toMatch(/P2P_QUERY_FOR_IP=true/);
    } finally {
      configureLogging({ sink: line => process.stderr.write(line + '\n') });
    }
  });
});
