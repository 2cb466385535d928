import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestL1, type TestL1 } from '../../test/helpers/l1.js';
import { L1BlockPublisher } from '../../test/helpers/l1-blocks.js';
import { createArchiverHarness } from './testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('Archiver killed with SIGKILL in the middle of a sync', () => {
  let l1: TestL1;
  let dataDirectory: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    l1 = await startTestL1();
    dataDirectory = mkdtempSync(join(tmpdir(), 'archiver-crash-'));
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await l1?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('resumes from where it was, not from genesis', { timeout: 120_000 }, async () => {
    const total = 12;
    await new L1BlockPublisher(l1, { seed: 9 }).publishMany(total);

    const settings = {
      rpcUrl: l1.anvil.url,
      chainId: l1.anvil.chainId,
      rollup: l1.deployment.addresses.rollup,
      dataDirectory,
      delayMs: 150,
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'src/archiver/testing/sync-child.ts'], {
      cwd: root,
      env: { ...process.env, ARCHIVER_CHILD: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 60_000, interval: 20 }).toContain('Downloaded L2 block 4 ');
    const exited = new Promise(resolve => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    child = undefined;
    const downloadedBeforeKill = [...output.matchAll(/Downloaded L2 block (\d+) /g)].length;
    expect(downloadedBeforeKill).toBeLessThan(total);

    const h = await createArchiverHarness({
      publicClient: l1.publicClient,
      beaconUrl: l1.anvil.url,
      rollupAddress: l1.deployment.addresses.rollup,
      dataDirectory,
    });
    try {
      const resumedAt = h.store.getLatestBlockNumber();
      // Whatever was committed is whole: block, world state and sync point together.
      expect(resumedAt).toBeGreaterThanOrEqual(BigInt(downloadedBeforeKill));
      expect(h.worldState.getBlockNumber()).toBe(resumedAt);
      await h.archiver.sync();
      expect(h.store.getLatestBlockNumber()).toBe(BigInt(total));
      expect(h.blobRequests).toHaveLength(total - Number(resumedAt));
      expect(h.worldState.committed.map(c => c.blockNumber)[0]).toBe(resumedAt + 1n);
    } finally {
      await h.close();
    }
  });
});
