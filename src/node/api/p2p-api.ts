import { RpcError, RpcErrorCode, type RpcImplementation } from '../../foundation/json-rpc/index.js';
import type { PeerInfo } from '../../p2p/service.js';
import type { p2pApiSchema } from './schema.js';

/** What the `p2p_` methods read (the P2P service fits). */
export interface P2PPeerSource {
  getPeerInfo(): PeerInfo[];
}

/** The `p2p_` methods over the node's P2P service; without one (P2P_ENABLED unset) they answer UNAVAILABLE. */
export function createP2PApi(p2p: P2PPeerSource | undefined): RpcImplementation<typeof p2pApiSchema> {
  return {
    getPeers: () => {
      if (!p2p) throw new RpcError(RpcErrorCode.UNAVAILABLE, 'P2P is disabled on this node: set P2P_ENABLED=true');
      return p2p.getPeerInfo();
    },
  };
}
