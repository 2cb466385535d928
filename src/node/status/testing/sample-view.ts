import type { StatusView } from '../view.js';

/** Text that would be markup if a value reached the page unescaped. */
export const EVIL = '<img src=x onerror="alert(1)">';

/**
 * A view of a node catching up, with `text` wherever a peer or an error can put a string (hostile by default): for
 * the page's tests and its screenshot.
 */
export function sampleView(text = EVIL): StatusView {
  return {
    takenAtMs: Date.UTC(2026, 11, 3, 12, 0, 0),
    node: {
      version: '0.1.0',
      l1ChainId: 31337,
      rollup: '0x' + 'ab'.repeat(20),
      ready: false,
      notReady: [`p2p: ${text}`],
    },
    sync: {
      l1Head: 1200,
      archiverL1Block: 1190,
      l1Lag: 10,
      l2Latest: 425,
      l2Proven: 400,
      l2Finalized: 380,
      l2PendingOnL1: 1000,
      worldStateBlock: 425,
      percent: 42.5,
      syncing: true,
      blocksPerSecond: 4.6,
      etaSeconds: 125,
      paused: false,
      error: text,
    },
    slot: { slot: 1234, epoch: 38 },
    peers: {
      enabled: true,
      count: 14,
      list: [
        { id: text, address: `/ip4/1.2.3.4/tcp/1'"><b>`, score: 2, nodeVersion: '</script><b>x</b>', latestBlock: 420 },
      ],
    },
    validators: {
      source: 'local',
      fromSlot: 1219,
      toSlot: 1234,
      list: [
        {
          address: '0x' + 'cd'.repeat(20),
          totals: { proposed: 1, attested: 5, landed: 5, missed: 1 },
          duties: [
            { slot: 1234, duty: 'attest', signed: true, outcome: 'pending' },
            { slot: 1230, duty: 'propose', signed: true, outcome: 'landed' },
            { slot: 1229, duty: 'attest', signed: false, outcome: 'missed' },
          ],
          stats: { [text]: text },
        },
      ],
    },
  };
}
