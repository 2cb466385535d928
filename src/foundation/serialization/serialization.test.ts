import { describe, expect, it } from 'vitest';

import { BufferReader, BufferWriter, DecodeError, EncodeError, decodeExact } from './index.js';

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('BufferWriter / BufferReader', () => {
  it('round-trips fixed-width values, vectors and bytes big-endian', () => {
    const w = new BufferWriter()
      .u8(0xab, 'a')
      .u32(0xdeadbeef, 'b')
      .u64(2n ** 64n - 1n, 'c')
      .u128(2n ** 100n + 5n, 'd')
      .vector([1, 2, 3], 'e', 3, (w, n) => w.u32(n, 'e[]'))
      .varBytes(Buffer.from('hi'), 'f', 10);
    const buf = w.toBuffer();
    expect(buf.subarray(0, 5).toString('hex')).toBe('abdeadbeef');
    expect(w.size).toBe(buf.length);
    const out = decodeExact(buf, 'test', 1000, r => ({
      a: r.u8('a'),
      b: r.u32('b'),
      c: r.u64('c'),
      d: r.u128('d'),
      e: r.vector('e', { max: 3, minItemSize: 4 }, r => r.u32('e[]')),
      f: r.varBytes('f', 10).toString(),
    }));
    expect(out).toEqual({ a: 0xab, b: 0xdeadbeef, c: 2n ** 64n - 1n, d: 2n ** 100n + 5n, e: [1, 2, 3], f: 'hi' });
  });

  it('reports truncation with the offset and the item', () => {
    const err = decodeError(() => new BufferReader(Buffer.from([1, 2, 3])).u32('thing.count'));
    expect(err.code).toBe('TRUNCATED');
    expect(err.offset).toBe(0);
    expect(err.what).toBe('thing.count');
    expect(err.message).toContain('thing.count');
  });

  it('checks counts against the maximum and the bytes left before reading items', () => {
    const huge = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    let calls = 0;
    const err = decodeError(() =>
      new BufferReader(huge).vector('v', { max: 2 ** 32, minItemSize: 1 }, r => (calls++, r.u8('v[]'))),
    );
    expect(err.code).toBe('COUNT_OUT_OF_RANGE');
    expect(calls).toBe(0);
    expect(
      decodeError(() => new BufferReader(Buffer.from([0, 0, 0, 5, 1])).count('v', { max: 4, minItemSize: 0 })).code,
    ).toBe('COUNT_OUT_OF_RANGE');
    expect(
      decodeError(() => new BufferReader(Buffer.from([0, 0, 0, 0])).count('v', { min: 1, max: 4, minItemSize: 1 }))
        .code,
    ).toBe('COUNT_OUT_OF_RANGE');
  });

  it('rejects trailing bytes and oversized input', () => {
    expect(decodeError(() => decodeExact(Buffer.from([1, 2]), 't', 10, r => r.u8('x'))).code).toBe('TRAILING_BYTES');
    expect(decodeError(() => decodeExact(Buffer.alloc(11), 't', 10, r => r.u8('x'))).code).toBe('TOO_LARGE');
  });

  it('reads from a view into a larger buffer', () => {
    const backing = Buffer.from([9, 9, 0, 0, 0, 7, 9]);
    expect(decodeExact(backing.subarray(2, 6), 't', 4, r => r.u32('x'))).toBe(7);
  });

  it('refuses to encode out-of-range values and counts', () => {
    const w = new BufferWriter();
    expect(() => w.u8(256, 'x')).toThrow(EncodeError);
    expect(() => w.u32(-1, 'x')).toThrow(EncodeError);
    expect(() => w.u32(1.5, 'x')).toThrow(EncodeError);
    expect(() => w.u64(2n ** 64n, 'x')).toThrow(EncodeError);
    expect(() => w.u128(-1n, 'x')).toThrow(EncodeError);
    expect(() => w.vector([1, 2], 'x', 1, () => {})).toThrow(EncodeError);
    expect(() => w.vector([], 'x', 1, () => {}, 1)).toThrow(EncodeError);
    expect(() => w.bytes(Buffer.alloc(3), 'x', 4)).toThrow(EncodeError);
  });
});
