import { describe, expect, it } from 'vitest';

import type { DecodeError, Codec } from '../foundation/serialization/index.js';
import { blockBodyCodec, blockHeaderCodec, l2BlockCodec, txCodec, txEffectCodec } from './codecs.js';
import {
  TestRandom,
  decodeOutcome,
  mutate,
  randomHeader,
  randomL2Block,
  randomTx,
  randomTxEffect,
} from './testing/index.js';

interface Subject {
  name: string;
  codec: Codec<unknown>;
  sample: (rng: TestRandom) => Buffer;
}

const subjects: Subject[] = [
  { name: 'tx', codec: txCodec, sample: rng => txCodec.encode(randomTx(rng)) },
  {
    name: 'header',
    codec: blockHeaderCodec,
    sample: rng => blockHeaderCodec.encode(randomHeader(rng)),
  },
  {
    name: 'txEffect',
    codec: txEffectCodec,
    sample: rng => txEffectCodec.encode(randomTxEffect(rng)),
  },
  {
    name: 'body',
    codec: blockBodyCodec,
    sample: rng => blockBodyCodec.encode(rng.array(rng.range(0, 3), () => randomTxEffect(rng))),
  },
  { name: 'block', codec: l2BlockCodec, sample: rng => l2BlockCodec.encode(randomL2Block(rng, 2)) },
];

function expectDecodeError(codec: Codec<unknown>, bytes: Uint8Array): DecodeError {
  const out = decodeOutcome(codec, bytes);
  if (out.ok) throw new Error(`accepted ${Buffer.from(bytes).toString('hex').slice(0, 80)}…`);
  return out.error;
}

describe.each(subjects)('$name decoder on bad input', ({ codec, sample }) => {
  it('rejects every truncation with a DecodeError', () => {
    const bytes = sample(new TestRandom(40));
    for (let len = 0; len < bytes.length; len++) {
      const err = expectDecodeError(codec, bytes.subarray(0, len));
      expect(['TRUNCATED', 'COUNT_OUT_OF_RANGE']).toContain(err.code);
      expect(err.offset).toBeLessThanOrEqual(len);
    }
  });

  it('rejects trailing bytes', () => {
    const rng = new TestRandom(41);
    const bytes = sample(rng);
    for (const extra of [1, 2, 31, 100]) {
      const err = expectDecodeError(codec, Buffer.concat([bytes, rng.bytes(extra)]));
      expect(err.code).toBe('TRAILING_BYTES');
      expect(err.offset).toBe(bytes.length);
    }
  });

  it('only ever throws DecodeError on random bytes and mutations, quickly', () => {
    const rng = new TestRandom(42);
    const start = Date.now();
    let accepted = 0;
    for (let seed = 0; seed < 3000; seed++) {
      const bytes = seed % 2 === 0 ? rng.bytes(rng.range(0, 2000)) : mutate(rng, sample(rng));
      if (decodeOutcome(codec, bytes).ok) accepted++;
    }
    expect(accepted).toBeLessThan(3000);
    expect(Date.now() - start).toBeLessThan(20_000);
  });
});

describe('oversized counts', () => {
  // Offsets of vector counts in an encoded tx with one nullifier: after chainId, version, expiry (24), feePayer
  // (32), gas settings (40).
  const TX_NULLIFIERS_COUNT = 24 + 32 + 40;

  it('rejects a count of 2^32-1 before allocating', () => {
    const rng = new TestRandom(43);
    const tx = txCodec.encode({ ...randomTx(rng), nullifiers: [1n as never] });
    for (const count of [0xffff_ffff, 0x8000_0000, 65, 0]) {
      const b = Buffer.from(tx);
      b.writeUInt32BE(count, TX_NULLIFIERS_COUNT);
      const t = Date.now();
      const err = expectDecodeError(txCodec, b);
      expect(Date.now() - t).toBeLessThan(50);
      expect(err).toMatchObject({ code: 'COUNT_OUT_OF_RANGE', offset: TX_NULLIFIERS_COUNT, what: 'tx.nullifiers' });
    }
    const body = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    expect(expectDecodeError(blockBodyCodec, body).code).toBe('COUNT_OUT_OF_RANGE');
    const block = l2BlockCodec.encode(randomL2Block(rng, 0));
    block.writeUInt32BE(0xffff_ffff, 800 + 36);
    expect(expectDecodeError(l2BlockCodec, block)).toMatchObject({
      code: 'COUNT_OUT_OF_RANGE',
      what: 'body',
    });
  });

  it('rejects every count field set to 2^32-1 in an effect', () => {
    const rng = new TestRandom(44);
    const e = randomTxEffect(rng);
    const bytes = txEffectCodec.encode(e);
    // Walk the layout to find each top-level count: txHash, fee, then five vectors.
    let at = 48;
    const frVec = (n: number, size: number) => 4 + n * size;
    const counts = [at];
    at += frVec(e.noteHashes.length, 32);
    counts.push(at);
    at += frVec(e.nullifiers.length, 32);
    counts.push(at);
    at += frVec(e.l2ToL1Messages.length, 32);
    counts.push(at);
    at += frVec(e.publicDataWrites.length, 64);
    counts.push(at);
    for (const offset of counts) {
      const b = Buffer.from(bytes);
      b.writeUInt32BE(0xffff_ffff, offset);
      expect(expectDecodeError(txEffectCodec, b)).toMatchObject({
        code: 'COUNT_OUT_OF_RANGE',
        offset,
      });
    }
  });

  it('rejects input above the maximum size before reading it', () => {
    const huge = Buffer.alloc(64 * 1024 + 1);
    expect(expectDecodeError(txCodec, huge)).toMatchObject({ code: 'TOO_LARGE', offset: 0 });
    expect(expectDecodeError(blockHeaderCodec, Buffer.alloc(801)).code).toBe('TRAILING_BYTES');
  });
});
