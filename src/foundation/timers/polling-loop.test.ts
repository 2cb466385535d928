import { describe, expect, it } from 'vitest';

import { PollingLoop } from './polling-loop.js';

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
