import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ArchiverStore } from '../../../archiver/store.js';
import { openKvStore } from '../../../kv/index.js';
import { headerHash } from '../../../types/header-codec.js';
import { testChain } from '../../../world-state/testing/chain.js';
import { main } from '../../index.js';
import type { CliContext } from '../../types.js';

const ROLLUP = '0x00000000000000000000000000000000000000bb';
const root = mkdtempSync(join(tmpdir(), 'aztec-cli-snapshot-'));
const data = join(root, 'data');

function capture() {
  const out = { stdout: '', stderr: '' };
  const ctx: CliContext = { env: {}, stdout: t => void (out.stdout += t), stderr: t => void (out.stderr += t) };
  return { ctx, out };
}

beforeAll(async () => {
  // A stopped node's data directory: three blocks in its store.
  const store = await openKvStore({ dataDirectory: data, name: 'node' });
  const chain = testChain(store, 5);
  const archiver = new ArchiverStore(store);
  for (let i = 1; i <= 3; i++) {
    const { block } = chain.next();
    const hash = `0x${'ab'.repeat(32)}` as const;
    archiver.addBlock({
      block,
      headerHash: headerHash(block.header),
      l1: { l1BlockNumber: BigInt(i), l1BlockHash: hash, l1TxHash: hash, l1Timestamp: 1n, attestations: 0 },
    });
  }
  await store.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = 0;
});

describe('aztec snapshot export', () => {
  it('exports a stopped node to a directory, labelled with the chain', async () => {
    const { ctx, out } = capture();
    const dir = join(root, 'out');
    const args = ['snapshot', 'export', '--data-directory', data, '--out', dir, '--l1.rollupAddress', ROLLUP];
    expect(await main(['node', 'aztec', ...args], ctx), out.stderr).toBe(0);
    expect(out.stdout).toMatch(`Exported block 3 (archive root 0x`);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, unknown>;
    expect(index).toMatchObject({ blockNumber: 3, l1ChainId: 31337, rollupAddress: ROLLUP });
    expect(existsSync(join(dir, 'node.mdb.gz'))).toBe(true);
  });

  it('names the missing settings and a directory without a node store', async () => {
    const noOut = capture();
    expect(await main(['node', 'aztec', 'snapshot', 'export', '--data-directory', data], noOut.ctx)).toBe(1);
    expect(noOut.out.stderr).toMatch('--out is required');
    const empty = capture();
    const args = ['snapshot', 'export', '--data-directory', join(root, 'none'), '--out', join(root, 'x')];
    expect(await main(['node', 'aztec', ...args, '--l1.rollupAddress', ROLLUP], empty.ctx)).toBe(1);
    expect(empty.out.stderr).toMatch(`No node store at ${join(root, 'none', 'node')}`);
  });
});
