import { NodeError } from '../../foundation/errors/index.js';

/**
 * Why a tx was refused, by the sequencer (`executeTx`) or the tx pool. Stable codes: clients and metrics match on
 * them; the `reason` text beside them is for people.
 */
export const TxRejectionCode = {
  /** The tx's `chainId` is not the network's L1 chain id. */
  WRONG_CHAIN: 'WRONG_CHAIN',
  /** The tx's `version` is not the rollup version. */
  WRONG_VERSION: 'WRONG_VERSION',
  /** The next block is above the tx's `expiryBlockNumber`. */
  EXPIRED: 'EXPIRED',
  /** Over a count limit (nullifiers, note hashes, messages, logs, actions) or the 64 KiB size limit. */
  TOO_LARGE: 'TOO_LARGE',
  /** A value breaks its type (no nullifier, a field or integer out of range). */
  MALFORMED_TX: 'MALFORMED_TX',
  /** The signature does not recover to the fee payer. */
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  /** The gas the tx uses is above its gas limits. */
  GAS_LIMIT: 'GAS_LIMIT',
  /** The tx's maximum fees per gas are below the block's base fees. */
  FEE_TOO_LOW: 'FEE_TOO_LOW',
  /** A nullifier is already in the tree, in an earlier tx of the block, twice in the tx, or in another pending tx. */
  DUPLICATE_NULLIFIER: 'DUPLICATE_NULLIFIER',
  /** A claim does not match the L1→L2 message at its `leafIndex`. */
  INVALID_CLAIM: 'INVALID_CLAIM',
  /** The fee payer's fee juice does not cover a transfer or the fee. */
  INSUFFICIENT_FEE_JUICE: 'INSUFFICIENT_FEE_JUICE',
  /** A balance would reach `2^254` (not representable as a field). */
  BALANCE_OVERFLOW: 'BALANCE_OVERFLOW',
  /** The tx's effect does not fit in what is left of the block body (try again in a later block). */
  BLOCK_FULL: 'BLOCK_FULL',
  /** The pool already holds this tx. */
  ALREADY_KNOWN: 'ALREADY_KNOWN',
  /** The pool is at its size limit. */
  POOL_FULL: 'POOL_FULL',
} as const;

/** One of `TxRejectionCode`. */
export type TxRejectionCode = (typeof TxRejectionCode)[keyof typeof TxRejectionCode];

/** A refused tx: a stable `code` and a human-readable `reason` a client can show. */
export interface TxRejection {
  code: TxRejectionCode;
  reason: string;
}

/** Builds a `TxRejection`. */
export function txRejection(code: TxRejectionCode, reason: string): TxRejection {
  return { code, reason };
}

/** A refused tx as an error, for callers that throw (e.g. a JSON-RPC `sendTx` handler). */
export class TxRejectedError extends NodeError {
  declare readonly code: TxRejectionCode;

  constructor(readonly rejection: TxRejection) {
    super(rejection.code, rejection.reason, { code: rejection.code });
  }
}

/** A tx that passed every check could not be written to the fork: a bug or a storage failure, never bad input. */
export class TxExecutionError extends NodeError {
  declare readonly code: 'TX_APPLY_FAILED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('TX_APPLY_FAILED', message, {}, options);
  }
}
