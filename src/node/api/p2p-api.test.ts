import { describe, expect, it } from 'vitest';

import { RpcError, RpcErrorCode } from '../../foundation/json-rpc/index.js';
import { createP2PApi } from './p2p-api.js';

describe('p2p_ API', () => {
  it('lists the peers the service reports', async () => {
    const peers = [{ id: '16Uiu2HAm', addresses: ['/ip4/127.0.0.1/tcp/40401'], score: -12 }];
    expect(await createP2PApi({ getPeerInfo: () => peers }).getPeers()).toEqual(peers);
  });

  it('answers UNAVAILABLE, naming P2P_ENABLED, when P2P is off', () => {
    let error: unknown;
    try {
      void createP2PApi(undefined).getPeers();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcErrorCode.UNAVAILABLE);
    expect((error as RpcError).message).toMatch(/P2P_ENABLED/);
  });
});
