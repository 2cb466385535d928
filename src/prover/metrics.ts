import { counter, histogram, type MetricsRegistry } from '../foundation/metrics/index.js';

/** The prover node's metrics on `registry`: epoch proofs by outcome, and how long their submission took. */
export function proverMetrics(registry: MetricsRegistry) {
  return {
    epochs: counter(registry, {
      name: 'aztec_prover_epochs_total',
      help: 'Epoch proofs this prover node submitted, by outcome (proven, reverted, refused by simulation)',
      labelNames: ['outcome'],
    }),
    submission: histogram(registry, {
      name: 'aztec_prover_submission_duration_seconds',
      help: 'Time from sending an epoch proof tx to L1 until it was mined',
      buckets: [1, 2, 4, 8, 12, 24, 48, 96],
    }),
  };
}

export type ProverMetrics = ReturnType<typeof proverMetrics>;
