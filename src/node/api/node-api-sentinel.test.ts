import { describe, expect, it } from 'vitest';

import { RpcError, RpcErrorCode } from '../../foundation/json-rpc/index.js';
import type { NodeApiDeps } from './deps.js';
import { createNodeApi } from './node-api.js';

describe('node_ validator stats without the sentinel', () => {
  it('answers UNAVAILABLE, naming SENTINEL_ENABLED, when the sentinel is off', () => {
    // Only the sentinel's part of the deps is read by these two methods.
    const api = createNodeApi({} as NodeApiDeps);
    for (const call of [() => api.getValidatorsStats(), () => api.getValidatorStats(`0x${'11'.repeat(20)}`)]) {
      let error: unknown;
      try {
        void call();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcError).code).toBe(RpcErrorCode.UNAVAILABLE);
      expect((error as RpcError).message).toMatch(/SENTINEL_ENABLED=true/);
    }
  });
});
