import { getAddress, isAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';

import { NodeError } from '../foundation/errors/index.js';
import { FR_LIMIT, type Fr } from './fr.js';

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** JSON field element: `0x` + 64 hex digits, `< 2^254`. Parses to `Fr`. */
export const FrSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, { message: 'expected a field element: 0x + 64 hex digits', abort: true })
  .refine(s => BigInt(s) < FR_LIMIT, 'field element must be < 2^254')
  .transform(s => BigInt(s) as Fr);

/** JSON unsigned integer of at most `bits` bits as a decimal string (no sign, no leading zeros). Parses to bigint. */
export function uintStringSchema(bits: number) {
  return z
    .string()
    .max(80, { message: `expected a u${bits} as a decimal string`, abort: true })
    .regex(DECIMAL, { message: `expected a u${bits} as a decimal string`, abort: true })
    .refine(s => BigInt(s) < 1n << BigInt(bits), `must be < 2^${bits}`)
    .transform(s => BigInt(s));
}

/** JSON `u64` as a decimal string. */
export const U64StringSchema = uintStringSchema(64);
/** JSON `u128` as a decimal string. */
export const U128StringSchema = uintStringSchema(128);
/** JSON `uint256` as a decimal string. */
export const U256StringSchema = uintStringSchema(256);

/** JSON `u32` as a number. */
export const U32Schema = z
  .number()
  .int('expected an integer')
  .min(0, 'must be >= 0')
  .max(0xffff_ffff, 'must be < 2^32');

/** JSON L1 address: `0x` + 40 hex (a mixed-case one must carry a valid checksum). Parses to the checksummed form. */
export const L1AddressSchema = z
  .string()
  .refine(
    s => isAddress(s, { strict: true }),
    'expected an L1 address: 0x + 40 hex digits (with a valid checksum if mixed-case)',
  )
  .transform(s => getAddress(s));

/** JSON bytes of exactly `size` bytes: `0x` + `2·size` hex digits. */
export function hexBytesSchema(size: number) {
  return z
    .string()
    .regex(new RegExp(`^0x[0-9a-fA-F]{${size * 2}}$`), `expected ${size} bytes: 0x + ${size * 2} hex digits`)
    .transform(s => Buffer.from(s.slice(2), 'hex'));
}

/** A bigint as the decimal string JSON uses for integers that can exceed 2^53. */
export function toDecimal(v: bigint): string {
  return v.toString(10);
}

/** Bytes as `0x` hex. */
export function bytesToJsonHex(b: Uint8Array): Hex {
  return `0x${Buffer.from(b).toString('hex')}`;
}

/** An L1 address in its checksummed JSON form. */
export function addressToJson(a: Address): Address {
  return getAddress(a);
}

/**
 * Parses `json` with `schema`, throwing a `NodeError` `INVALID_JSON` whose message lists every problem with its
 * path (e.g. `✖ expected a field element: 0x + 64 hex digits → at nullifiers[0]`).
 */
export function parseJson<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const res = schema.safeParse(json);
  if (!res.success) {
    throw new NodeError(
      'INVALID_JSON',
      `invalid ${what}:\n${z.prettifyError(res.error)}`,
      { what },
      { cause: res.error },
    );
  }
  return res.data;
}
