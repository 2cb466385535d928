import { EncodeError } from './errors.js';

const U32_MAX = 0xffff_ffff;

/**
 * Builds a big-endian binary encoding. Values outside their type's range and counts above the given maximum throw
 * an `EncodeError`, so an encoder never produces bytes its decoder would reject.
 */
export class BufferWriter {
  private readonly parts: Buffer[] = [];
  private length = 0;

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  /** A `u8`. */
  u8(v: number, what: string): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff)
      throw new EncodeError('VALUE_OUT_OF_RANGE', what, `${v} is not a u8`);
    return this.push(Buffer.of(v));
  }

  /** A big-endian `u32`. */
  u32(v: number, what: string): this {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) {
      throw new EncodeError('VALUE_OUT_OF_RANGE', what, `${v} is not a u32`);
    }
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v);
    return this.push(b);
  }

  /** A big-endian `u64`. */
  u64(v: bigint, what: string): this {
    return this.uintBE(v, 8, what);
  }

  /** A big-endian `u128` (16 bytes). */
  u128(v: bigint, what: string): this {
    return this.uintBE(v, 16, what);
  }

  /** A big-endian unsigned integer of `size` bytes (at most 32). */
  uintBE(v: bigint, size: number, what: string): this {
    if (v < 0n || v >> BigInt(size * 8) !== 0n) {
      throw new EncodeError('VALUE_OUT_OF_RANGE', what, `${v} does not fit in ${size} bytes`);
    }
    return this.push(Buffer.from(v.toString(16).padStart(size * 2, '0'), 'hex'));
  }

  /** Raw bytes, exactly `size` long when `size` is given. */
  bytes(b: Uint8Array, what: string, size?: number): this {
    if (size !== undefined && b.length !== size) {
      throw new EncodeError('VALUE_OUT_OF_RANGE', what, `expected ${size} bytes, got ${b.length}`);
    }
    return this.push(Buffer.from(b));
  }

  /** A `u32` count, checked against `min..max`. */
  count(n: number, what: string, max: number, min = 0): this {
    if (n > max || n < min) throw new EncodeError('COUNT_OUT_OF_RANGE', what, `count ${n} is outside ${min}..${max}`);
    return this.u32(n, what);
  }

  /** A vector: its `u32` count (checked against `min..max`) then each item. */
  vector<T>(items: readonly T[], what: string, max: number, writeItem: (w: this, item: T) => void, min = 0): this {
    this.count(items.length, what, max, min);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** Bytes: a `u32` length (at most `max`) then the bytes. */
  varBytes(b: Uint8Array, what: string, max: number): this {
    this.count(b.length, what, max);
    return this.push(Buffer.from(b));
  }

  /** The bytes written, as one buffer. */
  toBuffer(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}
