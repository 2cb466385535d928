import type { Address } from 'viem';

import type { BuiltBlock } from './block/index.js';
import type { Attestation } from './proposal-digest.js';

/** What a proposer asks for when it has built a block: the committee, the quorum and until when to wait. */
export interface AttestationRequest {
  built: BuiltBlock;
  /** The node's attester that proposes the block (signs the proposal). */
  proposer: Address;
  /** The epoch's committee, in committee order. */
  committee: readonly Address[];
  /** Attestations needed (`floor(2n/3) + 1`). */
  quorum: number;
  /** The latest moment the attestations are of use (the propose tx must still land in the slot). */
  deadline: Date;
  /** Aborted when the node stops: collection returns at once. */
  signal?: AbortSignal;
}

/**
 * Gets the committee's attestations for a block: the node's own, and the others' over P2P. The sequencer depends
 * on this interface; the validator module implements it (so neither imports the other).
 */
export interface AttestationSource {
  /**
   * Attestations in committee order, at least `quorum` of them; or the reason there are not enough by `deadline`
   * (how many of how many arrived).
   */
  collect(request: AttestationRequest): Promise<{ attestations: Attestation[] } | { reason: string }>;
}
