import { encodeAbiParameters } from 'viem';
import { describe, expect, it } from 'vitest';

import { sha256ToField } from '../foundation/crypto/index.js';
import { DecodeError } from '../foundation/serialization/index.js';
import { FR_LIMIT, frToHex, type Fr } from './fr.js';
import type { AppendOnlyTreeSnapshot, BlockHeader } from './header.js';
import { HEADER_LENGTH } from './header.js';
import { decodeHeader, encodeHeader, headerHash } from './header-codec.js';
import { blockHeaderFromJSON, blockHeaderToJSON } from './header-json.js';
import { TestRandom, randomHeader } from './testing/index.js';

const snapshotAbi = {
  type: 'tuple',
  components: [
    { name: 'root', type: 'bytes32' },
    { name: 'nextAvailableLeafIndex', type: 'uint32' },
  ],
} as const;

// The Solidity `Header` of docs/l1-contracts.md, spelled out for viem.
const HEADER_ABI = [
  {
    type: 'tuple',
    components: [
      { name: 'lastArchive', ...snapshotAbi },
      {
        name: 'contentCommitment',
        type: 'tuple',
        components: [
          { name: 'numTxs', type: 'uint256' },
          { name: 'blobsHash', type: 'bytes32' },
          { name: 'inHash', type: 'bytes32' },
          { name: 'outHash', type: 'bytes32' },
        ],
      },
      {
        name: 'state',
        type: 'tuple',
        components: [
          { name: 'l1ToL2MessageTree', ...snapshotAbi },
          { name: 'noteHashTree', ...snapshotAbi },
          { name: 'nullifierTree', ...snapshotAbi },
          { name: 'publicDataTree', ...snapshotAbi },
        ],
      },
      {
        name: 'globalVariables',
        type: 'tuple',
        components: [
          { name: 'chainId', type: 'uint256' },
          { name: 'version', type: 'uint256' },
          { name: 'blockNumber', type: 'uint256' },
          { name: 'slotNumber', type: 'uint256' },
          { name: 'timestamp', type: 'uint256' },
          { name: 'coinbase', type: 'address' },
          { name: 'feeRecipient', type: 'bytes32' },
          {
            name: 'gasFees',
            type: 'tuple',
            components: [
              { name: 'feePerDaGas', type: 'uint128' },
              { name: 'feePerL2Gas', type: 'uint128' },
            ],
          },
        ],
      },
      { name: 'totalFees', type: 'uint256' },
      { name: 'totalManaUsed', type: 'uint256' },
    ],
  },
] as const;

const snap = (s: AppendOnlyTreeSnapshot) => ({
  root: frToHex(s.root),
  nextAvailableLeafIndex: s.nextAvailableLeafIndex,
});

function viemEncode(h: BlockHeader): Buffer {
  const c = h.contentCommitment;
  const g = h.globalVariables;
  const hex = encodeAbiParameters(HEADER_ABI, [
    {
      lastArchive: snap(h.lastArchive),
      contentCommitment: {
        numTxs: BigInt(c.numTxs),
        blobsHash: frToHex(c.blobsHash),
        inHash: frToHex(c.inHash),
        outHash: frToHex(c.outHash),
      },
      state: {
        l1ToL2MessageTree: snap(h.state.l1ToL2MessageTree),
        noteHashTree: snap(h.state.noteHashTree),
        nullifierTree: snap(h.state.nullifierTree),
        publicDataTree: snap(h.state.publicDataTree),
      },
      globalVariables: { ...g, feeRecipient: frToHex(g.feeRecipient) },
      totalFees: h.totalFees,
      totalManaUsed: h.totalManaUsed,
    },
  ]);
  return Buffer.from(hex.slice(2), 'hex');
}

describe('BlockHeader codec', () => {
  it('equals viem encodeAbiParameters of the Solidity Header and round-trips', () => {
    const rng = new TestRandom(1);
    for (let i = 0; i < 300; i++) {
      const h = randomHeader(rng);
      const bytes = encodeHeader(h);
      expect(bytes.length).toBe(HEADER_LENGTH);
      expect(bytes.equals(viemEncode(h))).toBe(true);
      expect(decodeHeader(bytes)).toEqual(h);
      expect(headerHash(h)).toBe(BigInt(`0x${sha256ToField(bytes).toString('hex')}`));
    }
  });

  it('round-trips through JSON', () => {
    const rng = new TestRandom(2);
    for (let i = 0; i < 100; i++) {
      const h = randomHeader(rng);
      const json = JSON.parse(JSON.stringify(blockHeaderToJSON(h))) as unknown;
      expect(blockHeaderFromJSON(json)).toEqual(h);
    }
  });

  it('rejects dirty ABI padding, fields >= 2^254 and numTxs >= 2^32', () => {
    const bytes = encodeHeader(randomHeader(new TestRandom(3)));
    const corrupt = (word: number, byte: number, value = 1) => {
      const b = Buffer.from(bytes);
      b[word * 32 + byte] = value;
      return () => decodeHeader(b);
    };
    // word 1: lastArchive.nextAvailableLeafIndex (uint32)
    expect(corrupt(1, 27)).toThrow(/not a uint32/);
    // word 2: numTxs (kept below 2^32)
    expect(corrupt(2, 0)).toThrow(DecodeError);
    // word 3: blobsHash (a field)
    expect(corrupt(3, 0, 0x40)).toThrow(/>= 2\^254/);
    // word 19: coinbase (address)
    expect(corrupt(19, 11)).toThrow(/not a uint160/);
    // word 21: feePerDaGas (uint128)
    expect(corrupt(21, 15)).toThrow(/not a uint128/);
    const err = (() => {
      try {
        corrupt(21, 15)();
      } catch (e) {
        return e as DecodeError;
      }
      return undefined;
    })();
    expect(err?.offset).toBe(21 * 32);
    expect(err?.what).toBe('header.globalVariables.gasFees.feePerDaGas');
  });

  it('hashes the exact 800 bytes', () => {
    const h = randomHeader(new TestRandom(4));
    const other = { ...h, totalFees: h.totalFees ^ 1n };
    expect(headerHash(h)).not.toBe(headerHash(other));
    expect(headerHash(h) < FR_LIMIT).toBe(true);
  });

  it('refuses to encode values outside the Solidity types', () => {
    const h = randomHeader(new TestRandom(5));
    expect(() => encodeHeader({ ...h, lastArchive: { ...h.lastArchive, nextAvailableLeafIndex: 2 ** 32 } })).toThrow(
      /uint32/,
    );
    expect(() => encodeHeader({ ...h, totalFees: -1n })).toThrow(/uint256/);
    expect(() => encodeHeader({ ...h, contentCommitment: { ...h.contentCommitment, inHash: FR_LIMIT as Fr } })).toThrow(
      /field/,
    );
  });

  it('JSON schema rejects malformed values with readable messages', () => {
    const json = blockHeaderToJSON(randomHeader(new TestRandom(6)));
    const bad = structuredClone(json);
    bad.globalVariables.coinbase = '0x1234';
    bad.contentCommitment.inHash = '0xzz';
    bad.globalVariables.chainId = '-1';
    bad.lastArchive.nextAvailableLeafIndex = 2 ** 32;
    let message = '';
    try {
      blockHeaderFromJSON(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('invalid block header');
    expect(message).toContain('globalVariables.coinbase');
    expect(message).toContain('expected an L1 address');
    expect(message).toContain('contentCommitment.inHash');
    expect(message).toContain('expected a field element');
    expect(message).toContain('globalVariables.chainId');
    expect(message).toContain('lastArchive.nextAvailableLeafIndex');
    expect(() => blockHeaderFromJSON({ ...json, extra: 1 })).toThrow(/extra/);
    // A mixed-case address must carry a valid checksum; lowercase is accepted and checksummed.
    const lower = {
      ...json,
      globalVariables: { ...json.globalVariables, coinbase: json.globalVariables.coinbase.toLowerCase() },
    };
    expect(blockHeaderFromJSON(lower).globalVariables.coinbase).toBe(json.globalVariables.coinbase);
  });
});
