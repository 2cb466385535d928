import { describe, expect, it } from 'vitest';

import { asL2BlockNumber } from '../foundation/types/branded.js';
import { FR_LIMIT, asFr, frFromBuffer, frFromHex, frToBuffer, frToHex, type Fr } from './fr.js';
import { computeFee, computeTxGas, feesCover, gasWithinLimits } from './gas.js';
import { TestRandom, randomTxEffect, randomUnsignedTx } from './testing/index.js';
import { l2TipsFromJSON, l2TipsToJSON, type L2Tips } from './tips.js';
import { txGasCounts } from './tx.js';
import { txEffectSize } from './tx-effect.js';

describe('Fr', () => {
  it('converts to and from 32-byte buffers and hex, and rejects values >= 2^254', () => {
    const rng = new TestRandom(60);
    for (let i = 0; i < 100; i++) {
      const f = rng.fr();
      expect(frFromBuffer(frToBuffer(f))).toBe(f);
      expect(frFromHex(frToHex(f))).toBe(f);
      expect(frToHex(f)).toMatch(/^0x[0-9a-f]{64}$/);
    }
    expect(() => asFr(FR_LIMIT)).toThrow(/2\^254/);
    expect(() => asFr(-1n)).toThrow(/2\^254/);
    expect(() => frFromBuffer(Buffer.alloc(31))).toThrow(/32 bytes/);
    expect(() => frFromHex('0x1')).toThrow(/64 hex/);
    expect(() => frFromHex(`0x${'ff'.repeat(32)}`)).toThrow(/2\^254/);
    expect(frFromHex(`0x2B${'Ab'.repeat(31)}`)).toBe(BigInt(`0x2b${'ab'.repeat(31)}`));
  });
});

describe('gas', () => {
  it('follows the documented formula', () => {
    expect(computeTxGas(1234, { nullifiers: 2, noteHashes: 3, l2ToL1Messages: 1, logFields: 7, actions: 2 })).toEqual({
      daGas: 1234,
      l2Gas: 10_000 + 1_000 * 5 + 5_000 + 700 + 40_000,
    });
    const rng = new TestRandom(61);
    const tx = randomUnsignedTx(rng);
    const counts = txGasCounts(tx);
    expect(counts.logFields).toBe(tx.publicLogs.flat().length);
    const effect = randomTxEffect(rng);
    expect(computeTxGas(txEffectSize(effect), counts).daGas).toBe(txEffectSize(effect));
  });

  it('computes fees and compares limits', () => {
    expect(computeFee({ daGas: 10, l2Gas: 20 }, { feePerDaGas: 3n, feePerL2Gas: 5n })).toBe(130n);
    expect(gasWithinLimits({ daGas: 1, l2Gas: 2 }, { daGas: 1, l2Gas: 2 })).toBe(true);
    expect(gasWithinLimits({ daGas: 2, l2Gas: 2 }, { daGas: 1, l2Gas: 2 })).toBe(false);
    expect(feesCover({ feePerDaGas: 2n, feePerL2Gas: 2n }, { feePerDaGas: 2n, feePerL2Gas: 1n })).toBe(true);
    expect(feesCover({ feePerDaGas: 2n, feePerL2Gas: 0n }, { feePerDaGas: 2n, feePerL2Gas: 1n })).toBe(false);
  });
});

describe('L2 tips', () => {
  const hash = 7n as Fr;
  const tips: L2Tips = {
    latest: { number: asL2BlockNumber(5), hash },
    proven: { number: asL2BlockNumber(2), hash },
    finalized: { number: asL2BlockNumber(0) },
  };

  it('round-trips through JSON with the hash omitted for block 0', () => {
    const json = l2TipsToJSON(tips);
    expect(json.finalized).toEqual({ number: 0 });
    expect(json.latest).toEqual({ number: 5, hash: frToHex(hash) });
    expect(l2TipsFromJSON(JSON.parse(JSON.stringify(json)))).toEqual(tips);
  });

  it('rejects malformed tips with readable messages', () => {
    const json = l2TipsToJSON(tips);
    expect(() => l2TipsFromJSON({ ...json, latest: { number: 5 } })).toThrow(/hash is required[\s\S]*latest/);
    expect(() => l2TipsFromJSON({ ...json, finalized: { number: 0, hash: frToHex(hash) } })).toThrow(
      /absent for block 0/,
    );
    expect(() => l2TipsFromJSON({ ...json, proven: { number: -1 } })).toThrow(/proven\.number/);
    expect(() => l2TipsFromJSON({ latest: json.latest, proven: json.proven })).toThrow(/finalized/);
  });
});
