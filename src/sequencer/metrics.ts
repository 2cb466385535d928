import { counter, histogram, type MetricsRegistry } from '../foundation/metrics/index.js';
import type { SequencerState } from './state.js';

/** The sequencer's metrics: slot outcomes, build and publish time, L1 gas of its proposals. */
export interface SequencerMetrics {
  /** A slot this node was proposer of ended: published, or skipped in `state`. */
  slot(o: { published: boolean; state?: SequencerState | undefined }): void;
  /** Starts timing a block build; call the result when done. */
  startBuild(): () => void;
  /** Starts timing a publish (propose tx sent until mined or given up). */
  startPublish(): () => void;
  /** The L1 gas a mined propose tx used. */
  gasUsed(gas: bigint): void;
}

/** Registers the sequencer's metrics on `registry`. */
export function sequencerMetrics(registry: MetricsRegistry): SequencerMetrics {
  const slots = counter(registry, {
    name: 'aztec_sequencer_slots_total',
    help: 'Slots this node was proposer of, by outcome (published, skipped) and the state a skipped slot was given up in',
    labelNames: ['outcome', 'state'],
  });
  const build = histogram(registry, {
    name: 'aztec_sequencer_block_build_duration_seconds',
    help: 'Time to build a block proposal (executing its txs on a fork)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
  });
  const publish = histogram(registry, {
    name: 'aztec_sequencer_block_publish_duration_seconds',
    help: 'Time from sending the propose tx to L1 until it was mined or given up',
    buckets: [0.5, 1, 2, 4, 8, 12, 16, 24, 36, 48],
  });
  const gas = counter(registry, {
    name: 'aztec_sequencer_l1_gas_used_total',
    help: 'L1 gas used by the propose txs this node published',
  });
  return {
    slot: o => slots.inc({ outcome: o.published ? 'published' : 'skipped', state: o.state ?? 'PUBLISHING_BLOCK' }),
    startBuild: () => build.startTimer(),
    startPublish: () => publish.startTimer(),
    gasUsed: g => gas.inc(Number(g)),
  };
}
