import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** How a node with little or no local data gets the chain (docs/snapshots.md). */
export const SYNC_MODES = ['full', 'snapshot', 'force-snapshot'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/** Snapshot sync settings: whether and from where a node starts from a verified snapshot. */
export const snapshotConfigMappings = defineConfigMappings({
  syncMode: {
    env: 'SYNC_MODE',
    flag: '--sync-mode',
    parse: p.enumOf(SYNC_MODES),
    default: 'full',
    description:
      'full: sync every block from L1. snapshot: at start, when the local data is more than ' +
      'SYNC_SNAPSHOTS_MIN_BLOCKS_BEHIND blocks behind L1, import the newest snapshot of SYNC_SNAPSHOTS_URLS that ' +
      'verifies against L1. force-snapshot: import one at every start. A snapshot that fails a check is deleted and ' +
      'the next URL tried; with none left the node syncs fully.',
  },
  snapshotsUrls: {
    env: 'SYNC_SNAPSHOTS_URLS',
    flag: '--snapshots-urls',
    parse: p.urlList(['http', 'https', 'file']),
    description:
      'Comma-separated snapshot locations (http, https or file URLs): a directory written by `aztec snapshot export` ' +
      'or its index.json.',
  },
  snapshotMinBlocksBehind: {
    env: 'SYNC_SNAPSHOTS_MIN_BLOCKS_BEHIND',
    flag: '--sync-snapshots-min-blocks-behind',
    parse: p.integer({ min: 0, placeholder: '<blocks>' }),
    default: 100,
    description:
      'With SYNC_MODE=snapshot: how many blocks behind the L1 tip the local data must be to take a snapshot.',
  },
});

/** Typed snapshot sync settings. */
export type SnapshotConfig = ConfigOf<typeof snapshotConfigMappings>;
