import './polyfill.js';

import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { gossipsub, type GossipSub } from '@libp2p/gossipsub';
import { identify, identifyPush } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p, type Libp2p } from 'libp2p';
import { isIP } from 'node:net';

import type { PeerPrivateKey } from './peer-key.js';

/** The libp2p node with the services this project uses. */
export type P2PLibp2p = Libp2p<{
  identify: ReturnType<ReturnType<typeof identify>>;
  identifyPush: ReturnType<ReturnType<typeof identifyPush>>;
  pubsub: GossipSub;
}>;

/** A libp2p peer id. */
export type PeerId = P2PLibp2p['peerId'];

/** A libp2p stream (req/resp). */
export type P2PStream = Awaited<ReturnType<P2PLibp2p['dialProtocol']>>;

/** What `createP2PLibp2p` needs. */
export interface Libp2pNodeOptions {
  privateKey: PeerPrivateKey;
  /** Interface to listen on (`P2P_LISTEN_ADDR`). */
  listenAddress: string;
  /** TCP port (`P2P_PORT`). */
  port: number;
  /** Public address to announce (`P2P_IP`): an IP or a host name. */
  announceHost?: string | undefined;
  /**
   * Without `announceHost`: the public IP learned at run time (`P2P_QUERY_FOR_IP`), read whenever the addresses are;
   * once it returns one, it is announced in place of the listen addresses.
   */
  learnedHost?: () => string | undefined;
  /** Most connections kept open (`P2P_MAX_PEERS`). */
  maxPeers: number;
  /** Whether a peer is banned: banned peers are neither dialled nor accepted. */
  isBanned: (peerId: string) => boolean;
}

/** The multiaddr of a TCP endpoint: `/ip4|ip6|dns/<host>/tcp/<port>`. */
export function tcpMultiaddr(host: string, port: number): string {
  const proto = isIP(host) === 4 ? 'ip4' : isIP(host) === 6 ? 'ip6' : 'dns';
  return `/${proto}/${host}/tcp/${port}`;
}

/** Builds (does not start) a libp2p node: TCP, noise, yamux, identify (and push) and gossipsub. */
export async function createP2PLibp2p(opts: Libp2pNodeOptions): Promise<P2PLibp2p> {
  const banned = (peer: PeerId) => opts.isBanned(peer.toString());
  const node: P2PLibp2p = await createLibp2p({
    start: false,
    privateKey: opts.privateKey,
    addresses: {
      listen: [tcpMultiaddr(opts.listenAddress, opts.port)],
      announce: opts.announceHost !== undefined ? [tcpMultiaddr(opts.announceHost, opts.port)] : [],
      // Called on every read of the node's addresses (identify, getMultiaddrs), so a learned IP shows at once.
      announceFilter: addrs => {
        const host = opts.announceHost === undefined ? opts.learnedHost?.() : undefined;
        return host === undefined
          ? addrs
          : [multiaddr(`${tcpMultiaddr(host, opts.port)}/p2p/${node.peerId.toString()}`)];
      },
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: opts.maxPeers },
    connectionGater: {
      // Local and private addresses are normal on test and private networks.
      denyDialMultiaddr: () => false,
      denyDialPeer: banned,
      denyInboundEncryptedConnection: banned,
      denyOutboundEncryptedConnection: banned,
    },
    services: {
      identify: identify(),
      // Tells connected peers when this node's addresses change (e.g. the IP learned with P2P_QUERY_FOR_IP).
      identifyPush: identifyPush(),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        // Heartbeats every 700 ms (the default) keep the mesh fresh; messages are signed by their origin.
        globalSignaturePolicy: 'StrictSign',
      }),
    },
  });
  return node;
}
