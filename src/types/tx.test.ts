import { describe, expect, it } from 'vitest';

import { DecodeError } from '../foundation/serialization/index.js';
import { asL2BlockNumber } from '../foundation/types/branded.js';
import { FR_LIMIT, type Fr } from './fr.js';
import { MAX_TX_SIZE } from './limits.js';
import { TestRandom, randomTx } from './testing/index.js';
import type { Tx } from './tx.js';
import { decodeTx, encodeTx, encodeUnsignedTx, txHash } from './tx-codec.js';
import { txFromJSON, txToJSON, unsignedTxFromJSON, unsignedTxToJSON } from './tx-json.js';

function jsonRoundTrip(tx: Tx): Tx {
  return txFromJSON(JSON.parse(JSON.stringify(txToJSON(tx))));
}

describe('Tx codec', () => {
  it('round-trips random txs in binary and JSON', () => {
    const rng = new TestRandom(10);
    for (let i = 0; i < 300; i++) {
      const tx = randomTx(rng, { full: i % 50 === 0 });
      expect(decodeTx(encodeTx(tx))).toEqual(tx);
      expect(jsonRoundTrip(tx)).toEqual(tx);
    }
  });

  it('puts the 65-byte signature last, after what the tx hash covers', () => {
    const tx = randomTx(new TestRandom(11));
    const bytes = encodeTx(tx);
    expect(bytes.subarray(0, -65).equals(encodeUnsignedTx(tx))).toBe(true);
    expect(bytes.subarray(-65).equals(tx.signature)).toBe(true);
    // The hash ignores the signature.
    const resigned: Tx = { ...tx, signature: Buffer.alloc(65, 27) };
    expect(txHash(resigned)).toBe(txHash(tx));
    expect(txHash({ ...tx, nullifiers: [...tx.nullifiers, 1n as Fr] })).not.toBe(txHash(tx));
  });

  it('fits the largest tx within 64 KiB', () => {
    const full = randomTx(new TestRandom(12), { full: true });
    expect(encodeTx(full).length).toBeLessThanOrEqual(MAX_TX_SIZE);
  });

  it('encodes the documented layout', () => {
    const tx: Tx = {
      chainId: 1n,
      version: 2n,
      expiryBlockNumber: asL2BlockNumber(3),
      feePayer: 4n as Fr,
      gasSettings: { gasLimits: { daGas: 5, l2Gas: 6 }, maxFeesPerGas: { feePerDaGas: 7n, feePerL2Gas: 8n } },
      nullifiers: [9n as Fr],
      noteHashes: [],
      l2ToL1Messages: [{ recipient: '0x000000000000000000000000000000000000000A', content: 11n as Fr }],
      publicLogs: [[12n as Fr], []],
      actions: [{ type: 'transfer', to: 13n as Fr, amount: 14n }],
      signature: Buffer.concat([Buffer.alloc(64, 0xee), Buffer.of(28)]),
    };
    const word = (n: number) => n.toString(16).padStart(64, '0');
    const u32 = (n: number) => n.toString(16).padStart(8, '0');
    const expected =
      '0000000000000001' +
      '0000000000000002' +
      '0000000000000003' +
      word(4) +
      u32(5) +
      u32(6) +
      '7'.padStart(32, '0') +
      '8'.padStart(32, '0') +
      u32(1) +
      word(9) +
      u32(0) +
      u32(1) +
      '000000000000000000000000000000000000000a' +
      word(11) +
      u32(2) +
      u32(1) +
      word(12) +
      u32(0) +
      u32(1) +
      '01' +
      word(13) +
      'e'.padStart(32, '0') +
      'ee'.repeat(64) +
      '1c';
    expect(encodeTx(tx).toString('hex')).toBe(expected);
  });

  it('refuses to encode a tx outside the limits', () => {
    const tx = randomTx(new TestRandom(13));
    expect(() => encodeTx({ ...tx, nullifiers: [] })).toThrow(/tx.nullifiers/);
    expect(() => encodeTx({ ...tx, actions: Array.from({ length: 5 }, () => tx.actions[0]!) })).toThrow(/tx.actions/);
    expect(() => encodeTx({ ...tx, feePayer: FR_LIMIT as Fr })).toThrow(/tx.feePayer/);
    expect(() => encodeTx({ ...tx, signature: Buffer.alloc(65) })).toThrow(/tx.signature/);
  });

  it('rejects a bad signature v, an unknown action tag and a field >= 2^254 with a DecodeError', () => {
    const tx = randomTx(new TestRandom(14));
    const bytes = encodeTx({ ...tx, actions: [{ type: 'transfer', to: 1n as Fr, amount: 1n }] });
    const badV = Buffer.from(bytes);
    badV[badV.length - 1] = 29;
    expect(() => decodeTx(badV)).toThrow(expect.objectContaining({ code: 'VALUE_OUT_OF_RANGE', what: 'tx.signature' }));
    const tagAt = bytes.length - 65 - (1 + 32 + 16);
    const badTag = Buffer.from(bytes);
    badTag[tagAt] = 7;
    expect(() => decodeTx(badTag)).toThrow(expect.objectContaining({ code: 'INVALID_TAG', offset: tagAt }));
    const badField = Buffer.from(bytes);
    badField[24] = 0x40; // top byte of feePayer
    expect(() => decodeTx(badField)).toThrow(DecodeError);
  });
});

describe('Tx JSON schema', () => {
  it('round-trips unsigned txs', () => {
    const rng = new TestRandom(15);
    const { signature: _s, ...unsigned } = randomTx(rng);
    expect(unsignedTxFromJSON(JSON.parse(JSON.stringify(unsignedTxToJSON(unsigned))))).toEqual(unsigned);
  });

  it('rejects malformed values with readable messages', () => {
    const json = txToJSON(randomTx(new TestRandom(16)));
    const cases: [string, unknown, RegExp][] = [
      ['no nullifiers', { ...json, nullifiers: [] }, /nullifiers/],
      [
        'too many actions',
        { ...json, actions: Array(5).fill({ type: 'transfer', to: json.feePayer, amount: '1' }) },
        /actions/,
      ],
      ['bad field', { ...json, feePayer: '0x12' }, /expected a field element: 0x \+ 64 hex digits\n {2}→ at feePayer/],
      ['field too large', { ...json, feePayer: `0x${'f'.repeat(64)}` }, /< 2\^254/],
      ['number instead of u64 string', { ...json, chainId: 1 }, /chainId/],
      ['u64 overflow', { ...json, version: (2n ** 64n).toString() }, /< 2\^64/],
      ['leading zero', { ...json, version: '01' }, /decimal string/],
      ['unknown action', { ...json, actions: [{ type: 'mint', to: json.feePayer }] }, /actions/],
      ['bad v', { ...json, signature: `0x${'00'.repeat(64)}1d` }, /27 or 28/],
      ['short signature', { ...json, signature: '0x00' }, /65 bytes/],
      ['log too long', { ...json, publicLogs: [Array(33).fill(json.feePayer)] }, /publicLogs/],
      ['extra key', { ...json, foo: 1 }, /foo/],
    ];
    for (const [name, value, pattern] of cases) {
      let message = `${name}: accepted`;
      try {
        txFromJSON(value);
      } catch (err) {
        expect(err).toMatchObject({ code: 'INVALID_JSON' });
        message = (err as Error).message;
      }
      expect(message, name).toMatch(pattern);
      expect(message, name).toMatch(/^invalid tx:/);
    }
  });
});
