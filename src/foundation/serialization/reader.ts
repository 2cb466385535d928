import { DecodeError, type DecodeErrorCode } from './errors.js';

/** Bounds of a vector's item count: `min..max`, and the fewest bytes one item can take (to size-check counts). */
export interface CountLimits {
  readonly max: number;
  readonly min?: number;
  /** Smallest encoded size of one item; a count whose items cannot fit in the bytes left is rejected. */
  readonly minItemSize: number;
}

/**
 * Reads big-endian values from a byte array, checking every read against the bytes left and every count against
 * its limits before anything is allocated. Every failure is a `DecodeError`.
 */
export class BufferReader {
  private readonly buf: Buffer;
  private pos = 0;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Position of the next byte to read. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Throws a `DecodeError` about the item starting at `offset` (default: the current position). */
  fail(code: DecodeErrorCode, what: string, detail: string, offset = this.pos): never {
    throw new DecodeError(code, offset, what, detail);
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) this.fail('TRUNCATED', what, `needs ${n} bytes, ${this.remaining} left`);
  }

  /** A `u8`. */
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  /** A big-endian `u32`. */
  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A big-endian `u64`. */
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A big-endian `u128` (16 bytes). */
  u128(what: string): bigint {
    return this.uintBE(16, what);
  }

  /** A big-endian unsigned integer of `size` bytes (at most 32). */
  uintBE(size: number, what: string): bigint {
    this.need(size, what);
    const v = size === 0 ? 0n : BigInt('0x' + this.buf.toString('hex', this.pos, this.pos + size));
    this.pos += size;
    return v;
  }

  /** `n` raw bytes, copied (the result does not keep the input alive). */
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** A view of the next `n` bytes without copying or consuming them. */
  peek(n: number, what: string): Buffer {
    this.need(n, what);
    return this.buf.subarray(this.pos, this.pos + n);
  }

  /**
   * A `u32` item count, checked against `limits` and against the bytes left (`count * minItemSize`) before the
   * caller allocates anything for the items.
   */
  count(what: string, limits: CountLimits): number {
    const at = this.pos;
    const n = this.u32(what);
    const min = limits.min ?? 0;
    if (n > limits.max || n < min) {
      this.fail('COUNT_OUT_OF_RANGE', what, `count ${n} is outside ${min}..${limits.max}`, at);
    }
    if (n * limits.minItemSize > this.remaining) {
      this.fail('COUNT_OUT_OF_RANGE', what, `count ${n} cannot fit in the ${this.remaining} bytes left`, at);
    }
    return n;
  }

  /** A vector: a `u32` count (checked by `count`) then its items. */
  vector<T>(what: string, limits: CountLimits, readItem: (r: BufferReader) => T): T[] {
    const n = this.count(what, limits);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(readItem(this));
    return out;
  }

  /** Bytes: a `u32` length (at most `max`) then the bytes. */
  varBytes(what: string, max: number): Buffer {
    const n = this.count(what, { max, minItemSize: 1 });
    return this.bytes(n, what);
  }

  /** Rejects trailing bytes: call once the whole value has been read. */
  end(what: string): void {
    if (this.remaining !== 0) this.fail('TRAILING_BYTES', what, `${this.remaining} bytes left after the value`);
  }
}

/**
 * Decodes exactly one value from `bytes`: rejects input above `maxSize` before reading, runs `read`, then rejects
 * trailing bytes. `what` names the type in errors.
 */
export function decodeExact<T>(bytes: Uint8Array, what: string, maxSize: number, read: (r: BufferReader) => T): T {
  if (bytes.length > maxSize) {
    throw new DecodeError('TOO_LARGE', 0, what, `${bytes.length} bytes is above the maximum of ${maxSize}`);
  }
  const r = new BufferReader(bytes);
  const value = read(r);
  r.end(what);
  return value;
}
