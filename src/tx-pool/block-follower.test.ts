import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { configureLogging } from '../foundation/log/index.js';
import { asL2BlockNumber } from '../foundation/types/branded.js';
import type { L2Block } from '../types/index.js';
import { randomL2Block, TestRandom } from '../types/testing/index.js';
import { L2BlockFollower, type L2BlockListener, type L2BlockSource } from './block-follower.js';

const INTERVAL_MS = 1_000;

/** A chain the test grows, unwinds and reorgs at will (blocks[0] is block 1). */
class FakeChain implements L2BlockSource {
  blocks: L2Block[] = [];
  private readonly rng = new TestRandom(7);

  /** Appends `count` new blocks (each with a fresh archive root). */
  grow(count: number): void {
    for (let i = 0; i < count; i++) {
      const block = randomL2Block(this.rng, 0);
      const blockNumber = asL2BlockNumber(this.blocks.length + 1);
      block.header = { ...block.header, globalVariables: { ...block.header.globalVariables, blockNumber } };
      this.blocks.push(block);
    }
  }
  unwindTo(n: number): void {
    this.blocks.length = n;
  }
  getLatestBlockNumber(): bigint {
    return BigInt(this.blocks.length);
  }
  getBlock(n: bigint): L2Block | undefined {
    return n > 0n ? this.blocks[Number(n) - 1] : undefined;
  }
  getArchiveRoot(n: bigint) {
    return this.getBlock(n)?.archive.root;
  }
}

/** Records what the follower told it: `+n` for block n mined, `unwind n`. */
class Recorder implements L2BlockListener {
  events: string[] = [];
  roots: bigint[] = [];
  onBlockMined(block: L2Block): void {
    this.events.push(`+${block.header.globalVariables.blockNumber}`);
    this.roots.push(block.archive.root);
  }
  onUnwind(blockNumber: bigint): void {
    this.events.push(`unwind ${blockNumber}`);
  }
}

let chain: FakeChain;
let recorder: Recorder;
let follower: L2BlockFollower;

async function startFollower(): Promise<void> {
  follower = new L2BlockFollower({ intervalMs: INTERVAL_MS }, { source: chain, listener: recorder });
  await follower.start();
  await vi.advanceTimersByTimeAsync(0); // the first check runs at once
}

beforeEach(() => {
  // Timers only: a long catch-up yields to the event loop with setImmediate, which must stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  chain = new FakeChain();
  recorder = new Recorder();
});
afterEach(async () => {
  await follower.stop();
  vi.useRealTimers();
});

describe('L2BlockFollower', () => {
  it('starts at the latest block, checks every interval and catches up block by block when behind', async () => {
    chain.grow(2);
    await startFollower();
    expect(recorder.events).toEqual([]); // blocks before the start are not replayed
    expect(follower.blockNumber).toBe(2n);

    chain.grow(120); // far behind: more than one slice of blocks
    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(recorder.events).toEqual([]); // not before P2P_BLOCK_CHECK_INTERVAL_MS
    await vi.advanceTimersByTimeAsync(1);
    expect(recorder.events[0]).toBe('+3'); // the check is under way (it yields to the event loop between slices)
    await follower.sync(); // queued behind that check: resolves once it is done
    expect(recorder.events).toEqual(Array.from({ length: 120 }, (_, i) => `+${i + 3}`));
    expect(recorder.roots).toEqual(chain.blocks.slice(2).map(b => b.archive.root));
    expect(follower.blockNumber).toBe(122n);

    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(recorder.events).toHaveLength(120); // nothing new: nothing told twice
  });

  it('reports an unwind (the latest number going down) before the blocks that replace it', async () => {
    chain.grow(5);
    await startFollower();
    chain.unwindTo(3);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(recorder.events).toEqual(['unwind 3']);

    chain.grow(2);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(recorder.events).toEqual(['unwind 3', '+4', '+5']);
  });

  it('reports a reorg within one interval (same or greater height, other archive roots) from the fork point', async () => {
    chain.grow(3);
    await startFollower();
    chain.grow(2);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(recorder.events).toEqual(['+4', '+5']);

    // Blocks 5 then 4 pruned and others mined in their place, plus one more, all between two checks.
    chain.unwindTo(3);
    chain.grow(3);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(recorder.events).toEqual(['+4', '+5', 'unwind 3', '+4', '+5', '+6']);
    expect(recorder.roots.slice(2)).toEqual(chain.blocks.slice(3).map(b => b.archive.root));
  });

  it('tells a block again after the listener failed on it (nothing is skipped)', async () => {
    await startFollower();
    chain.grow(3);
    const onBlockMined = recorder.onBlockMined.bind(recorder);
    let failures = 1;
    recorder.onBlockMined = block => {
      if (block.header.globalVariables.blockNumber === 2n && failures-- > 0) throw new Error('store busy');
      onBlockMined(block);
    };
    const lines: string[] = [];
    configureLogging({ sink: line => lines.push(line) });
    try {
      await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    } finally {
      configureLogging({ sink: line => process.stderr.write(line + '\n') });
    }
    expect(recorder.events).toEqual(['+1']);
    expect(lines.join('\n')).toMatch(/Could not follow the L2 chain, retrying.*store busy/);
    await vi.advanceTimersByTimeAsync(2 * INTERVAL_MS); // one backoff pause
    expect(recorder.events).toEqual(['+1', '+2', '+3']);
  });

  it('stop() clears its timer: no check runs after it', async () => {
    await startFollower();
    expect(vi.getTimerCount()).toBe(1);
    await follower.stop();
    expect(vi.getTimerCount()).toBe(0);
    chain.grow(2);
    await vi.advanceTimersByTimeAsync(10 * INTERVAL_MS);
    expect(recorder.events).toEqual([]);
  });
});
