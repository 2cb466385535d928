import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../foundation/metrics/index.js';
import type { SequencerState } from '../sequencer/state.js';
import { l1LagBlocks, registerNodeMetrics } from './node-metrics.js';

describe('l1LagBlocks', () => {
  it('is the L1 head minus the synced L1 block, never negative, the whole head before the first sync', () => {
    expect(l1LagBlocks(120n, 100n)).toBe(20);
    expect(l1LagBlocks(100n, 100n)).toBe(0);
    // A head read before a sync that went further: not behind.
    expect(l1LagBlocks(99n, 100n)).toBe(0);
    expect(l1LagBlocks(120n, undefined)).toBe(120);
    expect(l1LagBlocks(undefined, 100n)).toBeUndefined();
  });
});

describe('registerNodeMetrics', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'node-metrics-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads heights, lag, sequencer state and disk space when scraped', async () => {
    const registry = new Registry();
    let head: bigint | undefined = 50n;
    let synced = undefined as bigint | undefined;
    let state: SequencerState = 'IDLE';
    registerNodeMetrics(registry, {
      archiver: () => ({ l1BlockNumber: synced, l2BlockNumber: 7n, provenBlockNumber: 4n, paused: synced === 40n }),
      l1Head: () => head,
      worldState: { getBlockNumber: () => 7n, getSize: tree => (tree === 'archive' ? 8n : 0n) },
      sequencerState: () => state,
      dataDirectory: dir,
    });
    const scrape = () => registry.metrics();

    let text = await scrape();
    // Before the first sync the whole head is behind: the node is not synced.
    expect(text).toMatch(/^aztec_archiver_l1_lag_blocks 50$/m);
    expect(text).toMatch(/^aztec_archiver_l2_block_number 7$/m);
    expect(text).toMatch(/^aztec_archiver_l2_proven_block_number 4$/m);
    expect(text).toMatch(/^aztec_world_state_tree_leaves\{tree="archive"\} 8$/m);
    expect(text).toMatch(/^aztec_sequencer_state\{state="IDLE"\} 1$/m);

    synced = 40n;
    head = 52n;
    state = 'CREATING_BLOCK';
    text = await scrape();
    expect(text).toMatch(/^aztec_archiver_l1_block_number 40$/m);
    expect(text).toMatch(/^aztec_archiver_l1_lag_blocks 12$/m);
    expect(text).toMatch(/^aztec_archiver_sync_paused 1$/m);
    expect(text).toMatch(/^aztec_l1_head_block_number 52$/m);
    expect(text).toMatch(/^aztec_sequencer_state\{state="IDLE"\} 0$/m);
    expect(text).toMatch(/^aztec_sequencer_state\{state="CREATING_BLOCK"\} 1$/m);

    const fs = await statfs(dir);
    const size = Number(/^aztec_node_data_dir_size_bytes (\d+)$/m.exec(text)?.[1]);
    const free = Number(/^aztec_node_data_dir_free_bytes (\d+)$/m.exec(text)?.[1]);
    expect(size).toBe(fs.blocks * fs.bsize);
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(size);
    // Process metrics under the node's prefix.
    expect(text).toMatch(/^aztec_process_nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^aztec_process_nodejs_heap_size_used_bytes /m);
  });
});
