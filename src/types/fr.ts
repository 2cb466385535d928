import { bytesToHex, type Hex } from 'viem';

import { sha256ToField } from '../foundation/crypto/index.js';
import { NodeError } from '../foundation/errors/index.js';
import { EncodeError, type BufferReader, type BufferWriter } from '../foundation/serialization/index.js';
import type { Branded } from '../foundation/types/branded.js';

/** A field element: an integer `< 2^254`, 32 bytes big-endian on the wire, `0x` + 64 hex in JSON. */
export type Fr = Branded<bigint, 'Fr'>;

/** Exclusive upper bound of a field element. */
export const FR_LIMIT = 1n << 254n;

/** The zero field element (also the empty tree leaf). */
export const FR_ZERO = 0n as Fr;

const FR_HEX = /^0x[0-9a-fA-F]{64}$/;

/** Whether `v` is a valid field element. */
export function isFr(v: bigint): boolean {
  return v >= 0n && v < FR_LIMIT;
}

/** `v` as a field element; throws `FIELD_OUT_OF_RANGE` unless `0 <= v < 2^254`. */
export function asFr(v: bigint | number): Fr {
  const b = BigInt(v);
  if (!isFr(b)) throw new NodeError('FIELD_OUT_OF_RANGE', `${b} is not a field element (must be 0 <= v < 2^254)`);
  return b as Fr;
}

/** A field element from exactly 32 big-endian bytes. */
export function frFromBuffer(buf: Uint8Array): Fr {
  if (buf.length !== 32) throw new NodeError('INVALID_FIELD', `a field element is 32 bytes, got ${buf.length}`);
  return asFr(BigInt(bytesToHex(buf)));
}

/** A field element as 32 big-endian bytes. */
export function frToBuffer(fr: Fr): Buffer {
  return Buffer.from(fr.toString(16).padStart(64, '0'), 'hex');
}

/** A field element from `0x` + 64 hex digits (either case). */
export function frFromHex(hex: string): Fr {
  if (!FR_HEX.test(hex)) throw new NodeError('INVALID_FIELD', `a field element is 0x + 64 hex digits, got "${hex}"`);
  return asFr(BigInt(hex));
}

/** A field element as `0x` + 64 lowercase hex digits. */
export function frToHex(fr: Fr): Hex {
  return `0x${fr.toString(16).padStart(64, '0')}`;
}

/** `sha256ToField` of the concatenated parts, as a field element. */
export function hashToFr(...parts: Uint8Array[]): Fr {
  return BigInt(bytesToHex(sha256ToField(...parts))) as Fr;
}

/** Reads a 32-byte field element, rejecting values `>= 2^254`. */
export function readFr(r: BufferReader, what: string): Fr {
  const at = r.offset;
  const v = r.uintBE(32, what);
  if (!isFr(v)) r.fail('VALUE_OUT_OF_RANGE', what, 'field element is >= 2^254', at);
  return v as Fr;
}

/** Writes a field element as 32 big-endian bytes. */
export function writeFr(w: BufferWriter, fr: Fr, what: string): void {
  if (!isFr(fr)) throw new EncodeError('VALUE_OUT_OF_RANGE', what, `${fr} is not a field element`);
  w.uintBE(fr, 32, what);
}
