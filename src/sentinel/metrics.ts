import { counter, gauge, type MetricsRegistry } from '../foundation/metrics/index.js';

/**
 * The sentinel's metrics on `registry`. `validator` takes only this node's own attester addresses (a keystore's
 * few), never the network's: the one label here with addresses, bounded by the node's configuration.
 */
export function sentinelMetrics(registry: MetricsRegistry) {
  return {
    missedDuties: counter(registry, {
      name: 'aztec_sentinel_missed_duties_total',
      help: "Duties this node's validators missed, as the sentinel settled them: duty=proposal (no block for its slot) or attestation (a proposal it did not attest)",
      labelNames: ['validator', 'duty'],
    }),
    lastProcessedSlot: gauge(registry, {
      name: 'aztec_sentinel_last_processed_slot',
      help: 'Newest slot the sentinel has settled (0 before the first)',
    }),
  };
}

export type SentinelMetrics = ReturnType<typeof sentinelMetrics>;
