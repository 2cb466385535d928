import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

import { openKvStore, type KvStore } from '../../kv/index.js';
import { SNAPSHOT_DATA_FILE, SNAPSHOT_INDEX_FILE, type SnapshotIndex } from '../format.js';

export const readSnapshotIndexFile = (dir: string) =>
  JSON.parse(readFileSync(join(dir, SNAPSHOT_INDEX_FILE), 'utf8')) as SnapshotIndex;
export const writeSnapshotIndexFile = (dir: string, index: SnapshotIndex) =>
  writeFileSync(join(dir, SNAPSHOT_INDEX_FILE), JSON.stringify(index));

/**
 * Unpacks the snapshot in `dir`, lets `edit` change its store, packs it again and writes the new sha256 and size
 * into the index, as a dishonest host would: the file checks pass and the content checks must catch the change.
 */
export async function tamperSnapshot(dir: string, edit: (store: KvStore) => void): Promise<void> {
  const work = mkdtempSync(join(dirname(dir), '.tamper-'));
  try {
    mkdirSync(join(work, 'node'));
    const data = join(dir, SNAPSHOT_DATA_FILE);
    await pipeline(createReadStream(data), createGunzip(), createWriteStream(join(work, 'node', 'data.mdb')));
    const store = await openKvStore({ dataDirectory: work, name: 'node' });
    store.transactionSync(() => edit(store));
    await store.close();
    await pipeline(createReadStream(join(work, 'node', 'data.mdb')), createGzip(), createWriteStream(data));
    const bytes = readFileSync(data);
    const index = readSnapshotIndexFile(dir);
    index.files = [
      { name: SNAPSHOT_DATA_FILE, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
    ];
    writeSnapshotIndexFile(dir, index);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Changes one byte of the newest nullifier-tree leaf preimage. */
export function changeNullifierLeaf(store: KvStore): void {
  const tree = store.openMap<Buffer>('merkle:world-state.nullifier', { keys: 'binary', values: 'binary' });
  const range = { start: Buffer.from('Q'), end: Buffer.from('P'), reverse: true, limit: 1 };
  const leaf = [...tree.entries(range)][0];
  if (leaf === undefined) throw new Error('no nullifier leaf to change');
  const changed = Buffer.from(leaf.value);
  changed[31] = changed[31]! ^ 1;
  tree.set(leaf.key, changed);
}

/** Changes the last byte (of `totalManaUsed`) in block `n`'s stored header. */
export function changeBlockHeader(store: KvStore, n: number): void {
  const blocks = store.openMap<{ block: Buffer }, number>('archiver_blocks');
  const record = blocks.get(n);
  if (record === undefined) throw new Error(`no block ${n} to change`);
  const block = Buffer.from(record.block);
  block[799] = block[799]! ^ 1;
  blocks.set(n, { ...record, block });
}
