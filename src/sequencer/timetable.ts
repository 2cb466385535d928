import { NodeError } from '../foundation/errors/index.js';
import type { SequencerState } from './state.js';

/** The deadlines of a slot: the latest second into the slot at which each state may start. */
export type Timetable = Record<SequencerState, number>;

/** A state was due to start after its deadline: the slot is given up. */
export class SequencerTooSlowError extends NodeError {
  constructor(
    readonly state: SequencerState,
    readonly deadline: number,
    readonly secondsIntoSlot: number,
  ) {
    super(
      'SEQUENCER_TOO_SLOW',
      `too late to enter ${state}: ${secondsIntoSlot.toFixed(2)}s into the slot, deadline ${deadline.toFixed(2)}s`,
      { state, deadline, secondsIntoSlot },
    );
  }
}

/**
 * The timetable of a slot of `slotDuration` seconds on an L1 with blocks every `l1BlockTime` seconds. Working
 * back from the end: the propose tx must be sent one L1 block before the slot ends so it lands inside it; the
 * committee needs `attestationTime` to re-execute and sign; building needs `buildTime`. With one validator (its
 * own attestation) there is nothing to wait for, so `attestationTime` can be 0.
 */
export function makeTimetable(opts: {
  slotDuration: number;
  l1BlockTime: number;
  attestationTime?: number;
  buildTime?: number;
}): Timetable {
  const publish = Math.max(0, opts.slotDuration - opts.l1BlockTime);
  const attestations = publish;
  const create = Math.max(0, publish - (opts.attestationTime ?? Math.min(4, opts.slotDuration / 4)));
  const init = Math.max(0, create - (opts.buildTime ?? Math.min(2, opts.slotDuration / 8)));
  return {
    IDLE: opts.slotDuration,
    SYNCHRONIZING: init,
    PROPOSER_CHECK: init,
    INITIALIZING_PROPOSAL: init,
    CREATING_BLOCK: create,
    COLLECTING_ATTESTATIONS: attestations,
    PUBLISHING_BLOCK: publish,
  };
}

/** Throws `SequencerTooSlowError` when `state` may not start `secondsIntoSlot` into the slot. */
export function checkDeadline(t: Timetable, state: SequencerState, secondsIntoSlot: number): void {
  if (secondsIntoSlot > t[state]) throw new SequencerTooSlowError(state, t[state], secondsIntoSlot);
}
