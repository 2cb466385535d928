import { NodeError } from '../errors/index.js';

/**
 * Why bytes could not be decoded:
 * - `TRUNCATED`: the input ends before the item does;
 * - `TRAILING_BYTES`: bytes are left after the whole value;
 * - `COUNT_OUT_OF_RANGE`: a vector count or byte length is above the type's maximum (or below its minimum), or
 *   larger than the bytes left could hold;
 * - `VALUE_OUT_OF_RANGE`: a fixed-width value is not valid for its type (a field `>= 2^254`, dirty ABI padding,
 *   a signature `v` that is not 27/28, ...);
 * - `INVALID_TAG`: an unknown union tag;
 * - `TOO_LARGE`: the whole input is above the type's maximum encoded size.
 */
export type DecodeErrorCode =
  'TRUNCATED' | 'TRAILING_BYTES' | 'COUNT_OUT_OF_RANGE' | 'VALUE_OUT_OF_RANGE' | 'INVALID_TAG' | 'TOO_LARGE';

/**
 * Bad input to a binary decoder: which rule failed (`code`), at which byte (`offset`, where the offending item
 * starts) and on which item (`what`, e.g. `tx.nullifiers[]`). The only error a decoder throws on any input.
 */
export class DecodeError extends NodeError {
  declare readonly code: DecodeErrorCode;

  constructor(
    code: DecodeErrorCode,
    readonly offset: number,
    readonly what: string,
    detail: string,
  ) {
    super(code, `cannot decode ${what} at byte ${offset}: ${detail}`, { offset, what });
  }
}

/** Why a value could not be encoded: a count or a value outside what its type allows. */
export type EncodeErrorCode = 'COUNT_OUT_OF_RANGE' | 'VALUE_OUT_OF_RANGE' | 'TOO_LARGE';

/** A value that breaks its type's limits was given to an encoder (a bug in the caller, not bad input). */
export class EncodeError extends NodeError {
  declare readonly code: EncodeErrorCode;

  constructor(
    code: EncodeErrorCode,
    readonly what: string,
    detail: string,
  ) {
    super(code, `cannot encode ${what}: ${detail}`, { what });
  }
}
