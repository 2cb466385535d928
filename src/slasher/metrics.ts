import { counter, gauge, type MetricsRegistry } from '../foundation/metrics/index.js';

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
    signals: counter(registry, {
      name: 'aztec_slasher_signals_sent_total',
      help: 'Inactivity slash payloads this node signalled on the L1 Slasher in its proposers’ slots, by outcome: signalled (mined), rejected (L1 refused it), failed (not mined)',
      labelNames: ['outcome'],
    }),
    roundsExecuted: counter(registry, {
      name: 'aztec_slasher_rounds_executed_total',
      help: 'executeRound calls this node sent for rounds that reached the quorum, by outcome: executed, rejected (e.g. another node executed it first), failed',
      labelNames: ['outcome'],
    }),
    offenders: gauge(registry, {
      name: 'aztec_slasher_inactivity_offenders',
      help: 'Validators in the inactivity payload this node computed last (its own and SLASH_VALIDATORS_NEVER left out)',
    }),
    ownInPayload: counter(registry, {
      name: 'aztec_slasher_own_attester_in_payload_total',
      help: 'Times the network signalled (once per round and payload) or executed a slash payload that names one of this node’s validators, by stage',
      labelNames: ['stage'],
    }),
  };
}

export type SlasherMetrics = ReturnType<typeof slasherMetrics>;
