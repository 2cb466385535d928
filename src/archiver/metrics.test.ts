import { describe, expect, it } from 'vitest';
import { Registry } from '../foundation/metrics/index.js';
import { archiverMetrics, timedBlobSource } from './metrics.js';

describe('timedBlobSource', () => {
  it('times every fetch under its source, as ok or error, and passes blobs and errors through', async () => {
    const registry = new Registry();
    const m = archiverMetrics(registry);
    const blob = new Uint8Array([1, 2, 3]);
    let fail = false;
    const source = timedBlobSource(
      {
        getBlobs: () => (fail ? Promise.reject(new Error('beacon down')) : Promise.resolve([blob])),
      },
      m.blobFetch,
      'beacon',
    );
    const block = { blockId: '0x01', timestamp: 1n } as unknown as Parameters<typeof source.getBlobs>[0];
    expect(await source.getBlobs(block, [])).toEqual([blob]);
    expect(await source.getBlobs(block, [])).toEqual([blob]);
    fail = true;
    await expect(source.getBlobs(block, [])).rejects.toThrow('beacon down');

    const text = await registry.metrics();
    expect(text).toMatch(/^aztec_archiver_blob_fetch_duration_seconds_count\{source="beacon",outcome="ok"\} 2$/m);
    expect(text).toMatch(/^aztec_archiver_blob_fetch_duration_seconds_count\{source="beacon",outcome="error"\} 1$/m);
  });
});
