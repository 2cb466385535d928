import { getAddress, isAddress, type Address } from 'viem';

import { EncodeError, type BufferReader, type BufferWriter } from '../foundation/serialization/index.js';

/** Reads a 20-byte L1 address (checksummed). */
export function readL1Address(r: BufferReader, what: string): Address {
  return getAddress(`0x${r.bytes(20, what).toString('hex')}`);
}

/** Writes a 20-byte L1 address. */
export function writeL1Address(w: BufferWriter, a: Address, what: string): void {
  if (!isAddress(a, { strict: false }))
    throw new EncodeError('VALUE_OUT_OF_RANGE', what, `"${String(a)}" is not an address`);
  w.bytes(Buffer.from(a.slice(2), 'hex'), what, 20);
}
