/** The sequencer's states, in the order a slot goes through them (DESIGN.md §3). Exported as a metric. */
export const SEQUENCER_STATES = [
  'IDLE',
  'SYNCHRONIZING',
  'PROPOSER_CHECK',
  'INITIALIZING_PROPOSAL',
  'CREATING_BLOCK',
  'COLLECTING_ATTESTATIONS',
  'PUBLISHING_BLOCK',
] as const;

export type SequencerState = (typeof SEQUENCER_STATES)[number];
