import { availableParallelism } from 'node:os';

import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** Archiver settings: how often and how much it reads from L1. */
export const archiverConfigMappings = defineConfigMappings({
  pollingIntervalMs: {
    env: 'ARCHIVER_POLLING_INTERVAL_MS',
    flag: '--archiver.pollingIntervalMs',
    parse: p.positiveMs,
    default: 500,
    description: 'The polling interval in ms for retrieving new L2 blocks and encrypted logs.',
  },
  batchSize: {
    env: 'ARCHIVER_BATCH_SIZE',
    flag: '--archiver.batchSize',
    parse: p.integer({ min: 1, placeholder: '<blocks>' }),
    default: 100,
    description: 'How many L2 blocks the archiver downloads from L1 per request batch.',
  },
  // One thread per core, not one fewer: the main thread's share of a synced block (fetching, parsing, applying) is a
  // small fraction of its KZG work, so on a two-core machine one worker would leave half of it idle while syncing.
  blobVerifyThreads: {
    env: 'ARCHIVER_BLOB_VERIFY_THREADS',
    flag: '--archiver.blobVerifyThreads',
    parse: p.integer({ min: 0, placeholder: '<threads>' }),
    default: availableParallelism(),
    description:
      'Worker threads that check blobs against their KZG versioned hashes while syncing (default: one per core; ' +
      '0: on the main thread).',
  },
  blobArchiveUrls: {
    env: 'BLOB_ARCHIVE_URLS',
    flag: '--archiver.blobArchiveUrls',
    parse: p.urlList(['http', 'https', 'file']),
    description:
      'Comma-separated blob archives (file or http(s) URLs of directories of <versionedHash>.blob files) asked for ' +
      'block bodies the beacon no longer has, before peers; every blob is checked against the versioned hash L1 ' +
      'recorded. `aztec blobs export` fills the first one when it is a file URL (docs/blob-archive.md).',
  },
});

/** Typed archiver settings. */
export type ArchiverConfig = ConfigOf<typeof archiverConfigMappings>;
