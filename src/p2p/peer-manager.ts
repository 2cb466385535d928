import { multiaddr } from '@multiformats/multiaddr';

import { createLogger } from '../foundation/log/index.js';
import type { DiscoveredPeer, DiscoveryService } from './discovery.js';
import type { P2PLibp2p } from './libp2p-node.js';
import type { PeerScoring } from './peer-scoring.js';

const log = createLogger('p2p').child('peers');

/**
 * Keeps the node within `maxPeers` (`P2P_MAX_PEERS`) and dials the peers discovery finds: skips itself, peers already
 * connected or being dialled, and banned peers. A failed dial is logged and forgotten (discovery reports the peer
 * again). libp2p's own `maxConnections` is not a hard cap (it keeps connections with open streams, such as
 * gossipsub's), so a peer that connects beyond the limit is disconnected here.
 */
export class PeerManager {
  private readonly dialing = new Set<string>();
  private readonly closing = new Set<string>();

  constructor(
    private readonly node: P2PLibp2p,
    private readonly scoring: PeerScoring,
    private readonly maxPeers: number,
  ) {
    node.addEventListener('peer:connect', evt => this.enforceLimit(evt.detail));
  }

  private enforceLimit(peer: Parameters<P2PLibp2p['hangUp']>[0]): void {
    const id = peer.toString();
    if (this.node.getPeers().length - this.closing.size <= this.maxPeers) return;
    this.closing.add(id);
    log.debug('Too many peers: disconnecting the newest', { peer: id, maxPeers: this.maxPeers });
    this.node
      .hangUp(peer)
      .catch((err: unknown) => log.debug('Hang up failed', { peer: id, err }))
      .finally(() => this.closing.delete(id));
  }

  /** Feeds the peers `discovery` finds to `maybeDial`. */
  watch(discovery: DiscoveryService): void {
    discovery.onPeer(peer => this.maybeDial(peer));
  }

  /** Dials `peer` unless it is this node, known, banned, or the node is full. */
  maybeDial(peer: DiscoveredPeer): void {
    const id = peer.peerId;
    if (id === this.node.peerId.toString() || this.dialing.has(id) || this.scoring.isBanned(id)) return;
    const peers = this.node.getPeers();
    if (peers.some(p => p.toString() === id)) return;
    if (peers.length + this.dialing.size >= this.maxPeers) return;
    this.dialing.add(id);
    this.node
      .dial(multiaddr(peer.multiaddr))
      .then(() => log.debug('Connected to a discovered peer', { peer: id, address: peer.multiaddr }))
      .catch((err: unknown) => log.debug('Could not dial a discovered peer', { peer: id, err }))
      .finally(() => this.dialing.delete(id));
  }
}
