import { createLogger } from '../foundation/log/index.js';
import { frToHex } from '../types/index.js';
import type { P2PLibp2p, PeerId } from './libp2p-node.js';
import type { ChainStatus } from './reqresp/index.js';

/** A peer's chain status as `p2p_getPeers` reports it (JSON). */
export interface PeerStatusInfo {
  latestBlockNumber: number;
  /** `0x` + 64 hex digits (zero while the peer has only genesis). */
  latestArchiveRoot: string;
  provenBlockNumber: number;
  nodeVersion: string;
}

const log = createLogger('p2p').child('peer-status');

/**
 * Asks each newly connected peer for its chain status once (`status` req/resp), logs it at debug and keeps it while
 * the peer stays connected. A peer that does not answer simply has no status.
 */
export class PeerStatusTracker {
  private readonly statuses = new Map<string, ChainStatus>();

  constructor(node: P2PLibp2p, request: (peer: PeerId) => Promise<ChainStatus>) {
    node.addEventListener('peer:connect', evt => {
      const peer = evt.detail;
      request(peer)
        .then(status => {
          if (!node.getPeers().some(p => p.equals(peer))) return;
          this.statuses.set(peer.toString(), status);
          log.debug('Peer status', {
            peer: peer.toString(),
            latestBlockNumber: status.latestBlockNumber,
            latestArchiveRoot: frToHex(status.latestArchiveRoot),
            provenBlockNumber: status.provenBlockNumber,
            nodeVersion: status.nodeVersion,
          });
        })
        .catch((err: unknown) => log.debug('Could not get the status of a new peer', { peer: peer.toString(), err }));
    });
    node.addEventListener('peer:disconnect', evt => this.statuses.delete(evt.detail.toString()));
  }

  /** The status `peer` reported when it connected, as JSON; undefined when it did not answer. */
  get(peer: string): PeerStatusInfo | undefined {
    const s = this.statuses.get(peer);
    return (
      s && {
        latestBlockNumber: Number(s.latestBlockNumber),
        latestArchiveRoot: frToHex(s.latestArchiveRoot),
        provenBlockNumber: Number(s.provenBlockNumber),
        nodeVersion: s.nodeVersion,
      }
    );
  }
}
