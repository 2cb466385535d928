import { describe, expect, it } from 'vitest';

import { PollingLoop } from './loop.js';
import { formatDuration, SyncProgress } from './progress.js';
import type { Logger } from '../foundation/log/index.js';

describe('PollingLoop', () => {
  it('never overlaps runs and backs off after failures', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const delays: number[] = [];
    const loop = new PollingLoop({
      intervalMs: 5,
      maxBackoffMs: 40,
      work: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await new Promise(r => setTimeout(r, 5));
        active--;
        if (runs <= 4) throw new Error('L1 down');
      },
      onError: (_err, delay) => delays.push(delay),
    });
    loop.start();
    const extra = Array.from({ length: 3 }, () =>
      loop.runExclusive(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise(r => setTimeout(r, 5));
        active--;
      }),
    );
    await Promise.all(extra);
    await expect.poll(() => runs, { timeout: 5_000 }).toBeGreaterThan(6);
    await loop.stop();
    expect(maxActive).toBe(1);
    expect(delays).toEqual([10, 20, 40, 40]);
  });
});

describe('SyncProgress', () => {
  it('logs blocks per second and an ETA when far behind', () => {
    const infos: [string, unknown][] = [];
    const log = { info: (m: string, f: unknown) => infos.push([m, f]) } as unknown as Logger;
    let now = 0;
    const progress = new SyncProgress(log, { intervalMs: 1_000, now: () => now });
    progress.setTarget(1_000n);
    for (let n = 1n; n <= 20n; n++) {
      now += 100;
      progress.blockAdded(n);
    }
    expect(infos).toHaveLength(2);
    expect(infos[0]![0]).toBe('Syncing: L2 block 10 of 1000');
    expect(infos[0]![1]).toMatchObject({ behind: 990n, blocksPerSecond: 10, etaSeconds: 99, eta: '1m39s' });
    progress.setTarget(25n);
    now += 2_000;
    progress.blockAdded(21n);
    expect(infos).toHaveLength(2);
    expect(formatDuration(3725)).toBe('1h2m5s');
  });
});
