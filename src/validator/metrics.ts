import { counter, histogram, type MetricsRegistry } from '../foundation/metrics/index.js';

/** The validator client's metrics on `registry`: proposals received by attestation outcome, re-execution time. */
export function validatorMetrics(registry: MetricsRegistry) {
  return {
    attestations: counter(registry, {
      name: 'aztec_validator_attestations_total',
      help: 'Block proposals received, by what this node did: attested, skipped (no key or not in the committee), invalid, refused (slashing protection)',
      labelNames: ['outcome'],
    }),
    reexecution: histogram(registry, {
      name: 'aztec_validator_reexecution_duration_seconds',
      help: 'Time to re-execute a block proposal before attesting',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    }),
  };
}

export type ValidatorMetrics = ReturnType<typeof validatorMetrics>;
