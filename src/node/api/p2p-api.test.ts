import { describe, expect, it } from 'vitest';

import { RpcError, RpcErrorCode } from '../../foundation/json-rpc/index.js';
import { createP2PApi } from './p2p-api.js';
import { p2pApiSchema } from './schema.js';

describe('p2p_ API', () => {
  it('lists the peers the service reports', async () => {
    const peers = [{ id: '16Uiu2HAm', addresses: ['/ip4/127.0.0.1/tcp/40401'], score: -12 }];
    expect(await createP2PApi({ getPeerInfo: () => peers }).getPeers()).toEqual(peers);
  });

  it('reports the chain status a peer gave, in the shape the schema accepts', async () => {
    const status = {
      latestBlockNumber: 7,
      latestArchiveRoot: `0x${'12'.repeat(32)}`,
      provenBlockNumber: 4,
      nodeVersion: '0.1.0',
    };
    const peers = [{ id: '16Uiu2HAm', addresses: [], score: 0, status }];
    const got = await createP2PApi({ getPeerInfo: () => peers }).getPeers();
    expect(got).toEqual(peers);
    expect(p2pApiSchema.getPeers.result.safeParse(got).success).toBe(true);
    const bad = [{ ...peers[0], status: { ...status, latestArchiveRoot: '0x12' } }];
    expect(p2pApiSchema.getPeers.result.safeParse(bad).success).toBe(false);
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
