import { describe, expect, it } from 'vitest';

import type { Fr } from './fr.js';
import { l2BlockFromJSON, l2BlockToJSON, txEffectFromJSON, txEffectToJSON } from './block-json.js';
import { encodeHeader } from './header-codec.js';
import { decodeBlockBody, decodeL2Block, encodeBlockBody, encodeL2Block, MAX_TX_EFFECTS_PER_BODY } from './l2-block.js';
import { MAX_BLOCK_BODY_SIZE } from './limits.js';
import { TestRandom, randomL2Block, randomTxEffect } from './testing/index.js';
import { decodeTxEffect, encodeTxEffect, MIN_TX_EFFECT_SIZE, txEffectSize } from './tx-effect.js';

describe('TxEffect codec', () => {
  it('round-trips random effects in binary and JSON, and txEffectSize is the encoded length', () => {
    const rng = new TestRandom(30);
    for (let i = 0; i < 300; i++) {
      const e = randomTxEffect(rng, { full: i % 50 === 0 });
      const bytes = encodeTxEffect(e);
      expect(txEffectSize(e)).toBe(bytes.length);
      expect(decodeTxEffect(bytes)).toEqual(e);
      expect(txEffectFromJSON(JSON.parse(JSON.stringify(txEffectToJSON(e))))).toEqual(e);
    }
  });

  it('has the documented minimum size', () => {
    const e = {
      ...randomTxEffect(new TestRandom(31)),
      noteHashes: [],
      l2ToL1Messages: [],
      publicDataWrites: [],
      publicLogs: [],
    };
    expect(encodeTxEffect({ ...e, nullifiers: [1n as Fr] }).length).toBe(MIN_TX_EFFECT_SIZE);
    expect(() => encodeTxEffect({ ...e, nullifiers: [] })).toThrow(/nullifiers/);
  });

  it('JSON schema rejects malformed values with readable messages', () => {
    const json = txEffectToJSON(randomTxEffect(new TestRandom(32)));
    expect(() =>
      txEffectFromJSON({ ...json, publicDataWrites: Array(7).fill({ leafSlot: json.txHash, value: json.txHash }) }),
    ).toThrow(/publicDataWrites/);
    expect(() => txEffectFromJSON({ ...json, transactionFee: '1e5' })).toThrow(/transactionFee/);
  });
});

describe('L2Block codec', () => {
  it('round-trips random blocks in binary and JSON', () => {
    const rng = new TestRandom(33);
    for (let i = 0; i < 50; i++) {
      const b = randomL2Block(rng);
      const bytes = encodeL2Block(b);
      expect(bytes.subarray(0, 800).equals(encodeHeader(b.header))).toBe(true);
      expect(decodeL2Block(bytes)).toEqual(b);
      expect(l2BlockFromJSON(JSON.parse(JSON.stringify(l2BlockToJSON(b))))).toEqual(b);
    }
  });

  it('the body codec round-trips and is the count then the effects', () => {
    const rng = new TestRandom(34);
    const body = rng.array(5, () => randomTxEffect(rng));
    const bytes = encodeBlockBody(body);
    expect(bytes.readUInt32BE(0)).toBe(5);
    expect(bytes.subarray(4).equals(Buffer.concat(body.map(encodeTxEffect)))).toBe(true);
    expect(decodeBlockBody(bytes)).toEqual(body);
    expect(decodeBlockBody(encodeBlockBody([]))).toEqual([]);
  });

  it('limits the body to 6 blobs', () => {
    const rng = new TestRandom(35);
    const big = randomTxEffect(rng, { full: true });
    const n = Math.ceil(MAX_BLOCK_BODY_SIZE / encodeTxEffect(big).length);
    expect(n).toBeLessThan(MAX_TX_EFFECTS_PER_BODY);
    expect(() => encodeBlockBody(Array(n).fill(big))).toThrow(/above the maximum/);
    const tooBig = Buffer.concat([Buffer.from([0, 0, 0, n]), ...Array.from({ length: n }, () => encodeTxEffect(big))]);
    expect(() => decodeBlockBody(tooBig)).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
  });
});
