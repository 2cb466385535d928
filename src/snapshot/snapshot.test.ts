import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ArchiverStore } from '../archiver/store.js';
import { openKvStore } from '../kv/index.js';
import { frToHex } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { testChain } from '../world-state/testing/chain.js';
import { exportDataDirectory } from './export.js';
import { openChain } from './facts.js';
import { syncFromSnapshot, type SnapshotSyncOutcome } from './import.js';
import {
  changeBlockHeader,
  changeNullifierLeaf,
  readSnapshotIndexFile,
  tamperSnapshot,
  writeSnapshotIndexFile,
} from './testing/tamper.js';

/**
 * Export and import of snapshots on real LMDB stores: a chain of 80 valid blocks (built by the world state's test
 * sequencer, each stored in the archiver store with its L1 provenance) in a data directory, exported, and imported
 * by `syncFromSnapshot` from file URLs into fresh data directories. L1 is a stand-in here: `archiveAt(n)` answers
 * the archive root the chain's block n carries (what the Rollup stores on `propose`); test/e2e/snapshot.test.ts
 * asks a real Rollup on anvil.
 */

const CHAIN = { l1ChainId: 31337, rollupAddress: '0x00000000000000000000000000000000000000aa' as const };
const BLOCKS = 80;
const root = mkdtempSync(join(tmpdir(), 'aztec-snapshot-test-'));
const source = join(root, 'source');
const archives = new Map<bigint, Hex>();
const NO_ARCHIVE: Hex = `0x${'00'.repeat(32)}`;
const l1 = {
  archiveAt: (n: bigint): Promise<Hex> => Promise.resolve(archives.get(n) ?? NO_ARCHIVE),
  pendingBlockNumber: () => Promise.resolve(BigInt(BLOCKS) + 5n),
};
const config = { syncMode: 'force-snapshot' as const, snapshotMinBlocksBehind: 10 };

async function buildSource(): Promise<void> {
  const store = await openKvStore({ dataDirectory: source, name: 'node' });
  const chain = testChain(store, 7, 64);
  const archiver = new ArchiverStore(store);
  for (let i = 1; i <= BLOCKS; i++) {
    const { block } = chain.next();
    archives.set(BigInt(i), frToHex(block.archive.root));
    archiver.addBlock({
      block,
      headerHash: headerHash(block.header),
      l1: {
        l1BlockNumber: BigInt(100 + i),
        l1BlockHash: `0x${i.toString(16).padStart(64, '0')}`,
        l1TxHash: `0x${'cd'.repeat(32)}`,
        l1Timestamp: BigInt(i),
        attestations: 0,
      },
    });
  }
  archiver.setBlocksSyncPoint({ l1BlockNumber: 100_000n });
  // Not chain data: left out of every snapshot.
  store.transactionSync(() => store.openMap<string, string>('slashing-protection').set('k', 'signed'));
  await store.close();
}

let n = 0;
/** A fresh export of the source in its own directory. */
async function exportCopy(): Promise<string> {
  const out = join(root, `snap-${++n}`);
  await exportDataDirectory({ dataDirectory: source, storeName: 'node', out, ...CHAIN });
  return out;
}

const readIndex = readSnapshotIndexFile;
const writeIndex = writeSnapshotIndexFile;

async function importInto(dataDirectory: string, ...dirs: string[]): Promise<SnapshotSyncOutcome> {
  return syncFromSnapshot({
    config: { ...config, snapshotsUrls: dirs.map(d => pathToFileURL(d).href) },
    dataDirectory,
    storeName: 'node',
    ...CHAIN,
    l1,
  });
}

const freshDir = () => mkdtempSync(join(root, 'node-'));
/** What `syncFromSnapshot` left in a data directory: nothing of a refused snapshot. */
const leftovers = (dir: string) => readdirSync(dir);

beforeAll(buildSource, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('snapshot export', () => {
  it('writes the index (chain, n, roots, sha256 of the data file) and leaves non-chain maps out', async () => {
    const dir = await exportCopy();
    const index = readIndex(dir);
    expect(index).toMatchObject({ formatVersion: 1, ...CHAIN, blockNumber: BLOCKS, archiveRoot: archives.get(80n) });
    const data = readFileSync(join(dir, 'node.mdb.gz'));
    expect(index.files).toEqual([
      { name: 'node.mdb.gz', bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') },
    ]);
    expect(readdirSync(dir).sort()).toEqual(['index.json', 'node.mdb.gz']);
    const target = freshDir();
    expect(await importInto(target, dir)).toMatchObject({ kind: 'imported', blockNumber: BLOCKS });
    const store = await openKvStore({ dataDirectory: target, name: 'node' });
    expect(store.listMaps()).not.toContain('slashing-protection');
    await store.close();
  });

  it('refuses while another process has the store open, naming the data directory and the process', async () => {
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { open } from 'lmdb'; const env = open({ path: ${JSON.stringify(join(source, 'node'))} });` +
          `env.getKeys().asArray; console.log('open'); setInterval(() => env.getKeys().asArray, 100);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>(resolve => holder.stdout!.once('data', () => resolve()));
      await expect(
        exportDataDirectory({ dataDirectory: source, storeName: 'node', out: join(root, 'busy'), ...CHAIN }),
      ).rejects.toThrow(`The node store in ${source} (--data-directory) is in use by process ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise(resolve => holder.once('exit', resolve));
    }
  });
});

describe('snapshot import', () => {
  it('imports a snapshot that passes every check; the archiver resumes from block n', async () => {
    const dir = await exportCopy();
    const target = freshDir();
    expect(await importInto(target, dir)).toEqual({
      kind: 'imported',
      refused: [],
      blockNumber: BLOCKS,
      url: pathToFileURL(join(dir, 'index.json')).href,
    });
    expect(leftovers(target)).toEqual(['node']);
    const store = await openKvStore({ dataDirectory: target, name: 'node' });
    const { archiver, worldState } = openChain(store);
    expect(archiver.getLatestBlockNumber()).toBe(80n);
    expect(frToHex(worldState.getRoot('archive'))).toBe(archives.get(80n));
    // Scans L1 again from block n's L1 block, not from the exporter's sync point.
    expect(archiver.getBlocksSyncPoint()).toEqual({
      l1BlockNumber: 180n,
      l1BlockHash: `0x${(80).toString(16).padStart(64, '0')}`,
    });
    await store.close();
  });

  it('keeps the maps of an existing store that are not chain data, and removes what a crashed import left', async () => {
    const dir = await exportCopy();
    const target = freshDir();
    mkdirSync(join(target, '.snapshot-crashed'));
    const own = await openKvStore({ dataDirectory: target, name: 'node' });
    own.transactionSync(() => own.openMap<string, string>('slashing-protection').set('mine', 'kept'));
    await own.close();
    expect(await importInto(target, dir)).toMatchObject({ kind: 'imported' });
    const store = await openKvStore({ dataDirectory: target, name: 'node' });
    expect(store.openMap<string, string>('slashing-protection').get('mine')).toBe('kept');
    expect(leftovers(target)).toEqual(['node']);
    expect(new ArchiverStore(store).getLatestBlockNumber()).toBe(80n);
    await store.close();
  });

  const refused = async (dir: string, check: string) => {
    const target = freshDir();
    const outcome = await importInto(target, dir);
    expect(outcome.kind).toBe('none-verified');
    expect(outcome.kind === 'none-verified' && outcome.failures.map(f => f.check)).toEqual([check]);
    expect(leftovers(target)).toEqual([]);
    return outcome;
  };

  it('refuses a snapshot with one nullifier-tree leaf changed (tree-nodes)', async () => {
    const dir = await exportCopy();
    await tamperSnapshot(dir, changeNullifierLeaf);
    const outcome = await refused(dir, 'tree-nodes');
    expect(JSON.stringify(outcome)).toMatch(/world-state.nullifier/);
  });

  it('refuses a snapshot with one block header changed (archive-leaves)', async () => {
    const dir = await exportCopy();
    await tamperSnapshot(dir, store => changeBlockHeader(store, 10));
    const outcome = await refused(dir, 'archive-leaves');
    expect(JSON.stringify(outcome)).toMatch(/block 10's stored header/);
  });

  it('refuses an index that lies about n (index)', async () => {
    const dir = await exportCopy();
    writeIndex(dir, { ...readIndex(dir), blockNumber: BLOCKS - 1 });
    await refused(dir, 'index');
  });

  it('refuses a truncated file (sha256)', async () => {
    const dir = await exportCopy();
    truncateSync(join(dir, 'node.mdb.gz'), Math.floor(statSync(join(dir, 'node.mdb.gz')).size / 2));
    await refused(dir, 'sha256');
  });

  it('refuses a snapshot whose archive root L1 does not know (l1-archive)', async () => {
    const dir = await exportCopy();
    const saved = archives.get(80n)!;
    archives.set(80n, `0x${'11'.repeat(32)}`);
    try {
      await refused(dir, 'l1-archive');
    } finally {
      archives.set(80n, saved);
    }
  });

  it('tries the newest first and takes the next that verifies', async () => {
    const good = await exportCopy();
    const newer = await exportCopy();
    const index = readIndex(newer);
    // Claims a later block (so it is tried first) and fails its check.
    writeIndex(newer, { ...index, blockNumber: BLOCKS + 3 });
    const target = freshDir();
    const outcome = await importInto(target, good, newer);
    expect(outcome).toMatchObject({
      kind: 'imported',
      blockNumber: BLOCKS,
      url: pathToFileURL(join(good, 'index.json')).href,
    });
    expect(outcome.kind === 'imported' && outcome.refused.map(r => [r.url, r.check])).toEqual([
      [pathToFileURL(join(newer, 'index.json')).href, 'index'],
    ]);
  });

  it('SYNC_MODE=snapshot takes none when the local data is within the threshold; full never looks', async () => {
    const dir = await exportCopy();
    const target = freshDir();
    const near = {
      syncMode: 'snapshot' as const,
      snapshotMinBlocksBehind: 1000,
      snapshotsUrls: [pathToFileURL(dir).href],
    };
    const base = { dataDirectory: target, storeName: 'node', ...CHAIN, l1 };
    expect(await syncFromSnapshot({ ...base, config: near })).toMatchObject({ kind: 'skipped' });
    expect(await syncFromSnapshot({ ...base, config: { ...near, syncMode: 'full' } })).toMatchObject({
      kind: 'skipped',
    });
    expect(existsSync(join(target, 'node'))).toBe(false);
    expect(await syncFromSnapshot({ ...base, config: { ...near, snapshotMinBlocksBehind: 10 } })).toMatchObject({
      kind: 'imported',
    });
  });
});
