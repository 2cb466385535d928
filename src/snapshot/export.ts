import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { openKvStore, type KvStore } from '../kv/index.js';
import { SnapshotExportError } from './errors.js';
import { storeFacts } from './facts.js';
import {
  isSnapshotMap,
  SNAPSHOT_DATA_FILE,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_INDEX_FILE,
  type SnapshotIndex,
} from './format.js';

/** Options of `exportSnapshot`. */
export interface ExportSnapshotOptions {
  /** The node store to export (open: a running node's, or a stopped node's opened for this). */
  store: KvStore;
  l1ChainId: number;
  rollupAddress: Address;
  /** A directory (created if needed), or the path of the index file (`*.json`) with the data file beside it. */
  out: string;
  log?: Logger;
}

/** What an export wrote, and how long its parts took. */
export interface ExportResult {
  index: SnapshotIndex;
  indexPath: string;
  dataPath: string;
  seconds: { copy: number; compress: number };
}

/** Where `out` puts the index and the data file. */
export function snapshotPaths(out: string): { dir: string; indexPath: string } {
  const abs = resolve(out);
  return abs.endsWith('.json')
    ? { dir: dirname(abs), indexPath: abs }
    : { dir: abs, indexPath: join(abs, SNAPSHOT_INDEX_FILE) };
}

/**
 * Writes a snapshot of the archiver store and the world state at the store's tip block n: the LMDB environment is
 * copied as of one read transaction (lmdb's `backup`, which does not stop writers, so a running node keeps
 * syncing), the maps that are not chain data are dropped from the copy, the copy is compacted again (so no freed
 * page keeps dropped data) and gzip-compressed; the index names the chain, n, the roots and each file's sha256.
 * The index is written last, by rename, so a reader never sees an index without its data.
 */
export async function exportSnapshot(opts: ExportSnapshotOptions): Promise<ExportResult> {
  const log = opts.log ?? createLogger('snapshot');
  const { dir, indexPath } = snapshotPaths(opts.out);
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, '.export-'));
  try {
    const t0 = performance.now();
    mkdirSync(join(work, 'full'));
    await opts.store.copyTo(join(work, 'full'));
    const copy = await openKvStore({ dataDirectory: work, name: 'full' });
    let facts;
    try {
      facts = storeFacts(copy);
      if (facts.blockNumber === 0) {
        throw new SnapshotExportError('SNAPSHOT_EMPTY', `The node store at ${opts.store.path} holds no block yet`);
      }
      if (facts.worldStateBlockNumber !== facts.blockNumber) {
        throw new SnapshotExportError(
          'SNAPSHOT_NO_WORLD_STATE',
          `The node store at ${opts.store.path} has blocks up to ${facts.blockNumber} but world state at ` +
            `${facts.worldStateBlockNumber}: export from a node that runs with --node (or --prover-node)`,
        );
      }
      const dropped = copy.listMaps().filter(name => !isSnapshotMap(name));
      copy.transactionSync(() => dropped.forEach(name => copy.dropMap(name)));
      mkdirSync(join(work, 'trim'));
      await copy.copyTo(join(work, 'trim'));
    } finally {
      await copy.close();
    }
    rmSync(join(work, 'full'), { recursive: true, force: true });
    const t1 = performance.now();

    const dataPath = join(dir, SNAPSHOT_DATA_FILE);
    const partial = join(work, SNAPSHOT_DATA_FILE);
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(
      createReadStream(join(work, 'trim', 'data.mdb')),
      createGzip({ level: 6 }),
      tap,
      createWriteStream(partial),
    );
    renameSync(partial, dataPath);
    const t2 = performance.now();

    const index: SnapshotIndex = {
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      l1ChainId: opts.l1ChainId,
      rollupAddress: opts.rollupAddress,
      blockNumber: facts.blockNumber,
      archiveRoot: facts.archiveRoot,
      stateRoots: facts.stateRoots,
      createdAt: new Date().toISOString(),
      files: [{ name: basename(dataPath), bytes, sha256: hash.digest('hex') }],
    };
    const indexPartial = join(work, SNAPSHOT_INDEX_FILE);
    writeFileSync(indexPartial, `${JSON.stringify(index, null, 2)}\n`);
    renameSync(indexPartial, indexPath);
    const seconds = { copy: (t1 - t0) / 1000, compress: (t2 - t1) / 1000 };
    log.info('Exported snapshot', { blockNumber: index.blockNumber, indexPath, bytes, ...seconds });
    return { index, indexPath, dataPath, seconds };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Exports the snapshot of a stopped node's data directory (`aztec snapshot export`): refuses, naming the
 * directory and the process ids, while another process has its LMDB environment open (a running node: stop it,
 * or use `nodeAdmin_exportSnapshot` on it), and when it holds no node store.
 */
export async function exportDataDirectory(
  opts: Omit<ExportSnapshotOptions, 'store'> & { dataDirectory: string; storeName: string },
): Promise<ExportResult> {
  const path = join(opts.dataDirectory, opts.storeName);
  if (!existsSync(join(path, 'data.mdb'))) {
    throw new SnapshotExportError(
      'NO_NODE_STORE',
      `No node store at ${path}: give the data directory the node ran with (--data-directory / DATA_DIRECTORY)`,
      { path },
    );
  }
  const store = await openKvStore({ dataDirectory: opts.dataDirectory, name: opts.storeName });
  try {
    const others = store.otherProcesses();
    if (others.length > 0) {
      throw new SnapshotExportError(
        'NODE_STORE_IN_USE',
        `The node store in ${opts.dataDirectory} (--data-directory) is in use by process ${others.join(', ')}: stop ` +
          'the node first, or export from the running node with its admin method nodeAdmin_exportSnapshot',
        { path, pids: others },
      );
    }
    return await exportSnapshot({ ...opts, store });
  } finally {
    await store.close();
  }
}
