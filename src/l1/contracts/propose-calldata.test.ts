import { encodeAbiParameters, encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import { RollupAbi } from '../generated/index.js';
import { findProposeCall, PROPOSE_SELECTOR } from './propose-calldata.js';

const archive: Hex = `0x${'0a'.repeat(32)}`;
const header: Hex = `0x${'01'.repeat(800)}`;
const blobInput: Hex = `0x01${'02'.repeat(32)}`;
const attestations = [{ v: 27, r: `0x${'03'.repeat(32)}`, s: `0x${'04'.repeat(32)}` }] as const;
const propose = encodeFunctionData({
  abi: RollupAbi,
  functionName: 'propose',
  args: [header, archive, attestations, blobInput],
});

describe('findProposeCall', () => {
  it('decodes a direct call to the rollup', () => {
    expect(findProposeCall(propose, archive)).toEqual({
      header,
      archive,
      attestations: 1,
      signatures: attestations,
      blobInput,
    });
    expect(propose.slice(2, 10)).toBe(PROPOSE_SELECTOR);
  });

  it('finds a propose call bundled inside another call (a multicall)', () => {
    // aggregate((address,bool,bytes)[]) with a governance signal first, then the propose call.
    const calls = encodeAbiParameters(
      [{ type: 'tuple[]', components: [{ type: 'address' }, { type: 'bool' }, { type: 'bytes' }] }],
      [
        [
          ['0x0000000000000000000000000000000000000001', false, '0x12345678'],
          ['0x0000000000000000000000000000000000000002', false, propose],
        ],
      ],
    );
    const multicall: Hex = `0x82ad56cb${calls.slice(2)}`;
    expect(findProposeCall(multicall, archive)).toEqual({
      header,
      archive,
      attestations: 1,
      signatures: attestations,
      blobInput,
    });
  });

  it('accepts only the call whose archive is the event archive', () => {
    expect(findProposeCall(propose, `0x${'0b'.repeat(32)}`)).toBeUndefined();
    expect(findProposeCall('0xdeadbeef', archive)).toBeUndefined();
  });
});
