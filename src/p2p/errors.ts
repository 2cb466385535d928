import { NodeError } from '../foundation/errors/index.js';

/** How badly a peer misbehaved; each maps to a score penalty in `PeerScoring`. */
export const PeerOffense = {
  /** Possibly honest (e.g. a tx that became invalid while in flight). */
  low: 'low',
  /** Clearly wrong but cheap to receive (a tx with a bad signature, over the limits). */
  mid: 'mid',
  /** Garbage or a protocol breach (undecodable bytes, a message for the wrong network). */
  high: 'high',
} as const;

/** One of `PeerOffense`. */
export type PeerOffense = (typeof PeerOffense)[keyof typeof PeerOffense];

/** Why a gossip message or request was refused; the code is the peer-scoring reason and a metric label. */
export const P2PValidationCode = {
  /** The bytes do not decode as the topic's type. */
  INVALID_ENCODING: 'INVALID_ENCODING',
  /** The message decoded but breaks a protocol rule (signature, chain, version, limits). */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** Valid when sent but not now (expired, fee too low, nullifier already used). */
  STALE_MESSAGE: 'STALE_MESSAGE',
  /** A peer sent more requests than its rate limit allows. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A req/resp request or response does not decode. */
  INVALID_REQUEST: 'INVALID_REQUEST',
} as const;

/** One of `P2PValidationCode`. */
export type P2PValidationCode = (typeof P2PValidationCode)[keyof typeof P2PValidationCode];

/** The offense each code counts as. */
export const OFFENSE_OF: Record<P2PValidationCode, PeerOffense> = {
  INVALID_ENCODING: 'high',
  INVALID_MESSAGE: 'mid',
  STALE_MESSAGE: 'low',
  RATE_LIMITED: 'mid',
  INVALID_REQUEST: 'high',
};

/** A refused message or request, with its code and the detail (e.g. the tx rejection code). */
export class P2PValidationError extends NodeError {
  declare readonly code: P2PValidationCode;

  constructor(code: P2PValidationCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
