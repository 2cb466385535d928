import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { ArchiverStore } from '../archiver/store.js';
import { ConfigError } from '../foundation/config/index.js';
import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { openKvStore, type KvStore } from '../kv/index.js';
import { snapshotConfigMappings, type SnapshotConfig } from './config.js';
import { SnapshotCheckError } from './errors.js';
import { downloadSnapshotFile, readSnapshotIndex } from './fetch.js';
import { isSnapshotMap, SNAPSHOT_DATA_FILE, type SnapshotIndex } from './format.js';
import { verifySnapshotStore, type SnapshotL1 } from './verify.js';

/** Options of `syncFromSnapshot`. */
export interface SnapshotSyncOptions {
  config: SnapshotConfig;
  /** The node's DATA_DIRECTORY (required unless SYNC_MODE=full). */
  dataDirectory: string | undefined;
  /** The node store's name inside it. */
  storeName: string;
  l1ChainId: number;
  rollupAddress: string;
  l1: SnapshotL1 & { pendingBlockNumber(): Promise<bigint> };
  log?: Logger;
}

/** What `syncFromSnapshot` did. */
export type SnapshotSyncOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'imported'; blockNumber: number; url: string; refused: SnapshotFailure[] }
  | { kind: 'none-verified'; failures: SnapshotFailure[] };

/** A snapshot location that was refused, with the check it failed. */
export interface SnapshotFailure {
  url: string;
  check: string;
  message: string;
}

/** Prefix of the temporary directory a snapshot is downloaded and checked in, under the data directory. */
const WORK_PREFIX = '.snapshot-';

const missing = (m: { env?: string; flag?: string }, message: string) =>
  new ConfigError([{ flag: m.flag ?? '', env: m.env ?? '', message }]);

/**
 * Runs before the node opens its store. Unless SYNC_MODE=full (or, for `snapshot`, the local data is within
 * SYNC_SNAPSHOTS_MIN_BLOCKS_BEHIND of L1), reads every index of SYNC_SNAPSHOTS_URLS, and tries the snapshots of
 * this chain from the newest: download (sha256 of each file), then `verifySnapshotStore`. The first that passes
 * replaces the archiver and world-state maps of the node store (other maps, such as the slashing protection
 * history, are kept) and the archiver resumes from its block n + 1. One that fails is deleted, its check logged,
 * and the next tried; with none left the node syncs fully from what it had.
 */
export async function syncFromSnapshot(opts: SnapshotSyncOptions): Promise<SnapshotSyncOutcome> {
  const log = opts.log ?? createLogger('snapshot');
  const { syncMode, snapshotsUrls, snapshotMinBlocksBehind } = opts.config;
  if (syncMode === 'full') return { kind: 'skipped', reason: 'SYNC_MODE=full' };
  if (!snapshotsUrls || snapshotsUrls.length === 0) {
    throw missing(
      snapshotConfigMappings.snapshotsUrls,
      `SYNC_MODE=${syncMode} needs snapshot locations (SYNC_SNAPSHOTS_URLS)`,
    );
  }
  const dataDirectory = opts.dataDirectory;
  if (!dataDirectory) {
    throw new ConfigError([
      {
        flag: '--data-directory',
        env: 'DATA_DIRECTORY',
        message: `SYNC_MODE=${syncMode} needs a data directory to import into`,
      },
    ]);
  }
  mkdirSync(dataDirectory, { recursive: true });
  // What an import interrupted by a crash left behind (never used: a snapshot is installed only once verified).
  for (const name of readdirSync(dataDirectory)) {
    if (name.startsWith(WORK_PREFIX)) rmSync(join(dataDirectory, name), { recursive: true, force: true });
  }
  const storePath = join(dataDirectory, opts.storeName);
  const local = existsSync(storePath) ? await localTip(dataDirectory, opts.storeName) : 0;
  const pending = Number(await opts.l1.pendingBlockNumber());
  if (syncMode === 'snapshot' && pending - local <= snapshotMinBlocksBehind) {
    const reason = `local data at block ${local} is within ${snapshotMinBlocksBehind} blocks of L1's ${pending}`;
    log.info('Not taking a snapshot', { reason, local, pending });
    return { kind: 'skipped', reason };
  }

  const failures: SnapshotFailure[] = [];
  const fail = (url: string, err: unknown) => {
    const check = err instanceof SnapshotCheckError ? err.check : 'download';
    failures.push({ url, check, message: errorMessage(err) });
    log.warn('Snapshot refused', { url, check, reason: errorMessage(err) });
  };
  const candidates: { index: SnapshotIndex; url: URL }[] = [];
  for (const location of snapshotsUrls) {
    try {
      const found = await readSnapshotIndex(location);
      const { index } = found;
      if (
        index.l1ChainId !== opts.l1ChainId ||
        index.rollupAddress.toLowerCase() !== opts.rollupAddress.toLowerCase()
      ) {
        throw new SnapshotCheckError(
          'index',
          `it is of L1 chain ${index.l1ChainId}, rollup ${index.rollupAddress}; this node is on chain ${opts.l1ChainId}, rollup ${opts.rollupAddress}`,
        );
      }
      if (index.blockNumber <= local) {
        log.info('Snapshot not newer than the local data', {
          url: found.url.href,
          blockNumber: index.blockNumber,
          local,
        });
        continue;
      }
      candidates.push(found);
    } catch (err) {
      fail(location, err);
    }
  }
  candidates.sort((a, b) => b.index.blockNumber - a.index.blockNumber);

  for (const { index, url } of candidates) {
    const work = mkdtempSync(join(dataDirectory, WORK_PREFIX));
    try {
      log.info('Importing snapshot', { url: url.href, blockNumber: index.blockNumber, bytes: totalBytes(index) });
      const t0 = performance.now();
      const file = index.files.find(f => f.name === SNAPSHOT_DATA_FILE);
      if (!file) throw new SnapshotCheckError('index', `the index lists no ${SNAPSHOT_DATA_FILE}`);
      mkdirSync(join(work, 'node'));
      await downloadSnapshotFile(url, file, join(work, 'node', 'data.mdb'), log);
      log.info('Snapshot check passed', { check: 'sha256', files: index.files.length });
      const t1 = performance.now();
      const store = await openKvStore({ dataDirectory: work, name: 'node' });
      try {
        await verifySnapshotStore(store, index, opts.l1, log);
        resumeAfter(store, BigInt(index.blockNumber));
      } finally {
        await store.close();
      }
      const t2 = performance.now();
      await install(join(work, 'node'), dataDirectory, opts.storeName);
      log.info('Snapshot imported', {
        url: url.href,
        blockNumber: index.blockNumber,
        downloadSeconds: (t1 - t0) / 1000,
        verifySeconds: (t2 - t1) / 1000,
      });
      return { kind: 'imported', blockNumber: index.blockNumber, url: url.href, refused: failures };
    } catch (err) {
      fail(url.href, err);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  log.warn('No snapshot verified: syncing from L1', { tried: failures.length, local });
  return { kind: 'none-verified', failures };
}

function totalBytes(index: SnapshotIndex): number {
  return index.files.reduce((sum, f) => sum + f.bytes, 0);
}

async function localTip(dataDirectory: string, name: string): Promise<number> {
  const store = await openKvStore({ dataDirectory, name });
  try {
    return Number(new ArchiverStore(store).getLatestBlockNumber());
  } finally {
    await store.close();
  }
}

/**
 * Points the archiver at block n's L1 block, so it scans L1 again from there (a sync point copied from elsewhere
 * could skip blocks). Its Inbox copy heals itself: messages that do not match a block's inHash make it rescan.
 */
function resumeAfter(store: KvStore, n: bigint): void {
  const archiver = new ArchiverStore(store);
  const l1 = archiver.getPublishedBlock(n)?.l1;
  if (l1 === undefined) return;
  archiver.setBlocksSyncPoint({ l1BlockNumber: l1.l1BlockNumber, l1BlockHash: l1.l1BlockHash });
}

/**
 * Puts the verified store in place: moved as is when the node has no store yet; otherwise its chain maps replace
 * the node store's in one transaction, so what else the store holds (slashing protection history, tx pool) stays.
 */
async function install(verifiedPath: string, dataDirectory: string, name: string): Promise<void> {
  const target = join(dataDirectory, name);
  if (!existsSync(target)) {
    rmSync(join(verifiedPath, 'lock.mdb'), { force: true });
    renameSync(verifiedPath, target);
    return;
  }
  const [from, to] = await Promise.all([
    openKvStore({ dataDirectory: join(verifiedPath, '..'), name: 'node' }),
    openKvStore({ dataDirectory, name }),
  ]);
  try {
    to.transactionSync(() => {
      for (const map of to.listMaps().filter(isSnapshotMap)) to.dropMap(map);
      for (const map of from.listMaps().filter(isSnapshotMap)) {
        const src = from.openMap(map, { keys: 'binary', values: 'binary' });
        const dst = to.openMap(map, { keys: 'binary', values: 'binary' });
        for (const { key, value } of src.entries()) dst.set(key, value);
      }
    });
  } finally {
    await Promise.all([from.close(), to.close()]);
  }
}
