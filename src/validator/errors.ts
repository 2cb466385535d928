import { NodeError } from '../foundation/errors/index.js';

/** Why the validator refused to sign or to import slashing protection history. */
export type ValidatorErrorCode =
  /** A different proposal or attestation was already signed for this slot. */
  | 'SLASHABLE_SIGNATURE'
  /** An interchange file is malformed, for another chain, or of an unsupported version. */
  | 'BAD_INTERCHANGE'
  /** An interchange file conflicts with the stored history (or with itself). */
  | 'INTERCHANGE_CONFLICT'
  /** Doppelganger protection holds the attester: still watching, or another signer of its key was seen. */
  | 'DOPPELGANGER'
  /** Another node of the HA set claimed this duty (or claimed it with another digest): this node does not sign. */
  | 'HA_DUTY_TAKEN'
  /** The HA signing database could not be asked: nothing is signed without its answer. */
  | 'HA_CLAIM_FAILED';

/** A refusal of the validator client (slashing protection, interchange import). */
export class ValidatorError extends NodeError {
  declare readonly code: ValidatorErrorCode;

  constructor(code: ValidatorErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
