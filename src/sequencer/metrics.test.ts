import type { TransactionReceipt } from 'viem';
import { describe, expect, it } from 'vitest';
import { Registry } from '../foundation/metrics/index.js';
import { sequencerMetrics } from './metrics.js';
import { Sequencer } from './sequencer.js';
import { FakeSequencerWorld } from './testing/fake-deps.js';
import { makeTimetable } from './timetable.js';

// Slot 5 starts at 1040 s (genesis 1000 s); half a second in, the next L1 block is in slot 5 (see sequencer.test.ts).
const SLOT = 5n;

function setup() {
  const world = new FakeSequencerWorld();
  world.at(SLOT, 0.5);
  const registry = new Registry();
  const seq = new Sequencer(
    {
      enforceTimeTable: false,
      minTxsPerBlock: 1,
      maxTxsPerBlock: 2,
      pollingIntervalMs: 5,
      timetable: makeTimetable({ slotDuration: 8, l1BlockTime: 2 }),
    },
    { ...world.deps(), metrics: sequencerMetrics(registry) },
  );
  world.stateOf = () => seq.getState();
  return { world, seq, registry };
}

const text = (r: Registry) => r.metrics();

describe('sequencer metrics', () => {
  it('count a published slot, its build and publish time, and the L1 gas of its receipt', async () => {
    const { world, seq, registry } = setup();
    world.publishResult = { published: true, receipt: { status: 'success', gasUsed: 123_456n } as TransactionReceipt };
    await seq.work();
    expect(seq.outcomes).toEqual([{ slot: SLOT, published: true }]);
    const t = await text(registry);
    expect(t).toMatch(/^aztec_sequencer_slots_total\{outcome="published",state="PUBLISHING_BLOCK"\} 1$/m);
    expect(t).toMatch(/^aztec_sequencer_block_build_duration_seconds_count 1$/m);
    expect(t).toMatch(/^aztec_sequencer_block_publish_duration_seconds_count 1$/m);
    expect(t).toMatch(/^aztec_sequencer_l1_gas_used_total 123456$/m);
  });

  it('count a skipped slot under the state it was given up in, with nothing published', async () => {
    const { world, seq, registry } = setup();
    world.collectResult = () => Promise.resolve({ reason: 'no quorum' });
    await seq.work();
    const t = await text(registry);
    expect(t).toMatch(/^aztec_sequencer_slots_total\{outcome="skipped",state="COLLECTING_ATTESTATIONS"\} 1$/m);
    expect(t).not.toMatch(/^aztec_sequencer_slots_total\{outcome="published"/m);
    expect(t).toMatch(/^aztec_sequencer_block_publish_duration_seconds_count 0$/m);
    expect(t).toMatch(/^aztec_sequencer_l1_gas_used_total 0$/m);
  });
});
