import { describe, expect, it } from 'vitest';

import type { Logger } from '../foundation/log/index.js';
import { formatDuration, SyncProgress } from './progress.js';

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
