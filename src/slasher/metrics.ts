import { counter, type MetricsRegistry } from '../foundation/metrics/index.js';

/** The slasher's metrics on `registry`. */
export function slasherMetrics(registry: MetricsRegistry) {
  return {
    equivocations: counter(registry, {
      name: 'aztec_slasher_equivocations_detected_total',
      help: 'Validators seen on gossip signing two different digests for one slot (once per validator and slot)',
      labelNames: ['own'],
    }),
    evidence: counter(registry, {
      name: 'aztec_slasher_evidence_submitted_total',
      help: 'Equivocation evidence sent to the L1 Slasher, by outcome: slashed (mined), rejected (the Slasher refused it, e.g. already slashed), failed (not mined)',
      labelNames: ['outcome'],
    }),
    ownSlashed: counter(registry, {
      name: 'aztec_slasher_own_validator_slashed_total',
      help: 'Times one of this node’s validators was slashed on L1 (EquivocationSlashed), by offence',
      labelNames: ['offence'],
    }),
  };
}

export type SlasherMetrics = ReturnType<typeof slasherMetrics>;
