import { describe, expect, it } from 'vitest';

import { collectStatus, PEERS_SHOWN, syncSection } from './collect.js';

const archiver = (over = {}) => ({
  l1BlockNumber: 100n,
  l2BlockNumber: 40n,
  l2PendingOnL1: 40n,
  paused: false,
  ...over,
});
const tips = { proven: 30n, finalized: 20n };

describe('syncSection', () => {
  it('is in sync at the pending tip, with the L1 lag', () => {
    expect(syncSection(archiver(), tips, 102n, 40n)).toMatchObject({
      l1Head: 102,
      archiverL1Block: 100,
      l1Lag: 2,
      l2Latest: 40,
      l2Proven: 30,
      l2Finalized: 20,
      worldStateBlock: 40,
      percent: 100,
      syncing: false,
      etaSeconds: null,
    });
  });

  it('while catching up: the percentage of the pending tip and an ETA at the measured rate', () => {
    const s = syncSection(
      archiver({ l2BlockNumber: 250n, l2PendingOnL1: 1000n, blocksPerSecond: 25 }),
      tips,
      102n,
      undefined,
    );
    expect(s).toMatchObject({ percent: 25, syncing: true, blocksPerSecond: 25, etaSeconds: 30, worldStateBlock: null });
    // No rate measured yet: no ETA rather than a made-up one.
    expect(syncSection(archiver({ l2PendingOnL1: 1000n }), tips, 102n, undefined).etaSeconds).toBeNull();
  });

  it('before the first sync: 0%, syncing, no lag', () => {
    const s = syncSection(archiver({ l1BlockNumber: undefined, l2BlockNumber: 0n, l2PendingOnL1: 0n }), tips, 5n, 0n);
    expect(s).toMatchObject({ percent: 0, syncing: true, l1Lag: null, archiverL1Block: null });
  });
});

describe('collectStatus', () => {
  it('reports why the node is not ready, and the best peers first, capped', async () => {
    const peers = Array.from({ length: PEERS_SHOWN + 3 }, (_, i) => ({
      id: `peer-${String(i).padStart(2, '0')}`,
      addresses: [`/ip4/127.0.0.1/tcp/${4000 + i}/p2p/peer-${i}`], // the id suffix is left out
      score: i === 5 ? 10 : 0,
      ...(i === 5
        ? { status: { latestBlockNumber: 7, latestArchiveRoot: '0x', provenBlockNumber: 1, nodeVersion: 'x/1' } }
        : {}),
    }));
    const view = await collectStatus({
      facts: { version: '1.0.0', l1ChainId: 31337, rollup: '0xabc' },
      readiness: () => ({
        ready: false,
        components: {
          node: { ready: true },
          archiver: { ready: false, reason: 'first sync not done' },
          p2p: { ready: false },
        },
      }),
      archiver: () => archiver(),
      tips: () => tips,
      l1Head: () => 100n,
      slot: () => ({ slot: 17n, epoch: 2n }),
      peers: () => peers,
      validators: () => Promise.resolve({ source: 'local', fromSlot: null, toSlot: null, list: [] }),
      now: () => 1_000,
    });
    expect(view.node).toEqual({
      version: '1.0.0',
      l1ChainId: 31337,
      rollup: '0xabc',
      ready: false,
      notReady: ['archiver: first sync not done', 'p2p: not ready'],
    });
    expect(view.sync.syncing).toBe(true); // the archiver's own check says not ready
    expect(view.slot).toEqual({ slot: 17, epoch: 2 });
    expect(view.peers.count).toBe(PEERS_SHOWN + 3);
    expect(view.peers.list).toHaveLength(PEERS_SHOWN);
    expect(view.peers.list[0]).toEqual({
      id: 'peer-05',
      address: '/ip4/127.0.0.1/tcp/4005',
      score: 10,
      nodeVersion: 'x/1',
      latestBlock: 7,
    });
    expect(view.takenAtMs).toBe(1_000);
  });

  it('says P2P is off when there is no P2P service', async () => {
    const view = await collectStatus({
      facts: { version: '1', l1ChainId: 1, rollup: '0x' },
      readiness: () => ({ ready: true, components: {} }),
      archiver: () => archiver(),
      tips: () => tips,
      l1Head: () => undefined,
      slot: () => ({ slot: 0n, epoch: 0n }),
      validators: () => Promise.resolve({ source: 'local', fromSlot: null, toSlot: null, list: [] }),
    });
    expect(view.peers).toEqual({ enabled: false, count: 0, list: [] });
    expect(view.sync.l1Lag).toBeNull();
  });
});
