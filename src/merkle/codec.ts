import { MerkleError } from './errors.js';

const TWO_32 = 2 ** 32;
const FIELD_BYTES = 32;
const MAX_32_BYTES = (1n << 256n) - 1n;
const MASK_64 = (1n << 64n) - 1n;

/** 8-byte big-endian encoding of a safe non-negative integer (orders like the number under bytewise compare). */
export function u64(n: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  writeU64(out, n, 0);
  return out;
}

/** Writes `n` as 8 bytes big-endian at `offset`. */
export function writeU64(out: Buffer, n: number, offset: number): void {
  out.writeUInt32BE(Math.floor(n / TWO_32), offset);
  out.writeUInt32BE(n % TWO_32, offset + 4);
}

/** Reads an 8-byte big-endian integer written by `u64`. */
export function readU64(buf: Uint8Array, offset = 0): number {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return view.readUInt32BE(offset) * TWO_32 + view.readUInt32BE(offset + 4);
}

/** A field as 32 bytes big-endian (so bytewise order is numeric order). */
export function fieldToBuffer(value: bigint): Buffer {
  if (value < 0n || value > MAX_32_BYTES) {
    throw new MerkleError('MERKLE_BAD_LEAF', 'A field must fit in 32 bytes', { value: value.toString() });
  }
  const out = Buffer.allocUnsafe(FIELD_BYTES);
  writeField(out, value, 0);
  return out;
}

/** `fieldToBuffer` of each value, concatenated (one allocation). */
export function fieldsToBuffer(values: readonly bigint[]): Buffer {
  const out = Buffer.allocUnsafe(FIELD_BYTES * values.length);
  values.forEach((value, k) => {
    if (value < 0n || value > MAX_32_BYTES) {
      throw new MerkleError('MERKLE_BAD_LEAF', 'A field must fit in 32 bytes', { value: value.toString() });
    }
    writeField(out, value, FIELD_BYTES * k);
  });
  return out;
}

// Four 64-bit words, most significant first (no hex string: this runs for every leaf and key).
function writeField(out: Buffer, value: bigint, offset: number): void {
  out.writeBigUInt64BE(value >> 192n, offset);
  out.writeBigUInt64BE((value >> 128n) & MASK_64, offset + 8);
  out.writeBigUInt64BE((value >> 64n) & MASK_64, offset + 16);
  out.writeBigUInt64BE(value & MASK_64, offset + 24);
}

/** A 32-byte big-endian field as a bigint. */
export function bufferToField(buf: Uint8Array): bigint {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.length !== FIELD_BYTES) return BigInt('0x' + view.toString('hex'));
  return (
    (view.readBigUInt64BE(0) << 192n) |
    (view.readBigUInt64BE(8) << 128n) |
    (view.readBigUInt64BE(16) << 64n) |
    view.readBigUInt64BE(24)
  );
}

/** Converts a public (bigint) version or index to a safe number, or throws `code`. */
export function toSafeNumber(value: bigint, what: string, code: 'MERKLE_BAD_VERSION' | 'MERKLE_INDEX_OUT_OF_RANGE') {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MerkleError(code, `${what} ${value} is out of range`, { [what]: value.toString() });
  }
  return Number(value);
}
