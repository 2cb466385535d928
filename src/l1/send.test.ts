import { BaseError, encodeErrorResult, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import { AllErrorsAbi } from './generated/index.js';
import { decodeRevert } from './send.js';

/** A viem error carrying revert data, as an RPC's eth_call/estimateGas failure does (nested under the cause). */
const revertWith = (data: Hex) =>
  new BaseError('execution reverted', { cause: Object.assign(new Error('rpc'), { data }) });

describe('decodeRevert', () => {
  it('names our contracts’ errors with their arguments, a struct field by field', () => {
    const data = encodeErrorResult({
      abi: AllErrorsAbi,
      errorName: 'Rollup__InvalidBaseFees',
      args: [
        { feePerDaGas: 1n, feePerL2Gas: 30n },
        { feePerDaGas: 1n, feePerL2Gas: 10n },
      ],
    });
    expect(decodeRevert(revertWith(data))).toBe(
      'Rollup__InvalidBaseFees({ feePerDaGas: 1, feePerL2Gas: 30 }, { feePerDaGas: 1, feePerL2Gas: 10 })',
    );
  });

  it('falls back to the message for data that is none of ours', () => {
    expect(decodeRevert(revertWith('0xdeadbeef00'))).toContain('execution reverted');
  });
});
