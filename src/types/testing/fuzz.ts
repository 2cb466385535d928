import { DecodeError, type Codec } from '../../foundation/serialization/index.js';
import type { TestRandom } from './random.js';

/** What a decoder did with some bytes: accepted them (canonically) or rejected them with a `DecodeError`. */
export type DecodeOutcome = { ok: true } | { ok: false; error: DecodeError };

/**
 * Runs `codec.decode(bytes)`. A `DecodeError` is a rejection; any other exception is rethrown (a decoder bug); an
 * accepted input must re-encode to exactly the same bytes (one encoding per value), else this throws.
 */
export function decodeOutcome<T>(codec: Codec<T>, bytes: Uint8Array): DecodeOutcome {
  let value: T;
  try {
    value = codec.decode(bytes);
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, error: err };
    throw err;
  }
  const again = codec.encode(value);
  if (!Buffer.from(bytes).equals(again)) throw new Error('decoder accepted a non-canonical encoding');
  return { ok: true };
}

/**
 * Corrupted variants of a valid encoding for fuzzing decoders: flipped bytes, overwritten 4-byte windows (as a
 * huge or small count would be), deleted and inserted runs.
 */
export function mutate(rng: TestRandom, bytes: Uint8Array): Buffer {
  const b = Buffer.from(bytes);
  if (b.length === 0) return rng.bytes(rng.range(1, 8));
  const at = rng.int(b.length);
  switch (rng.int(5)) {
    case 0:
      b[at] = b[at]! ^ (1 << rng.int(8));
      return b;
    case 1: {
      const v = rng.pick([0xffff_ffff, 0x8000_0000, 0, 1, rng.u32(), rng.int(300)]);
      if (at + 4 <= b.length) b.writeUInt32BE(v, at);
      return b;
    }
    case 2:
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + rng.range(1, 40)))]);
    case 3:
      return Buffer.concat([b.subarray(0, at), rng.bytes(rng.range(1, 40)), b.subarray(at)]);
    default:
      for (let i = 0; i < 8; i++) b[rng.int(b.length)] = rng.u32() & 0xff;
      return b;
  }
}
