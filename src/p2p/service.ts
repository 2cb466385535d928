import { multiaddr } from '@multiformats/multiaddr';
import type { Hex } from 'viem';

import { createLogger } from '../foundation/log/index.js';
import { gauge, type MetricsRegistry } from '../foundation/metrics/index.js';
import { encodeTx, frToHex, txHash, type Fr, type L2Block, type Tx } from '../types/index.js';
import { DiscoveryService } from './discovery.js';
import type { P2PValidationCode } from './errors.js';
import { Gossip, type TopicHandler, type TopicValidator } from './gossip.js';
import { createP2PLibp2p, tcpMultiaddr, type P2PLibp2p, type PeerId } from './libp2p-node.js';
import { peerPrivateKeyFromHex } from './peer-key.js';
import { PeerManager } from './peer-manager.js';
import { PeerScoring, type PeerScoringOptions } from './peer-scoring.js';
import { PeerStatusTracker, type PeerStatusInfo } from './peer-status.js';
import type { RateLimit } from './rate-limiter.js';
import {
  BLOCK_PROTOCOL,
  blockHandler,
  ReqResp,
  requestBlock,
  requestStatus,
  requestTxs,
  STATUS_PROTOCOL,
  statusHandler,
  TX_PROTOCOL,
  txHandler,
  type BlockSource,
  type ChainStatus,
  type ChainStatusSource,
} from './reqresp/index.js';
import { topicName, TopicType, type NetworkIdentity } from './topics.js';
import { txTopicValidator, type P2PTxPool } from './tx-gossip.js';

/** Settings of a `P2PService` (from `P2PConfig`, the network, and the resolved key). */
export interface P2PServiceConfig {
  /** L1 chain id, rollup address and version: they name the topics and protocols. */
  network: NetworkIdentity;
  /** The secp256k1 private key of the identity (see `resolvePeerPrivateKey`). */
  privateKey: Hex;
  /** `P2P_LISTEN_ADDR`. */
  listenAddress: string;
  /** `P2P_PORT` (TCP). */
  p2pPort: number;
  /** `P2P_IP`: announced when set. */
  p2pIp?: string | undefined;
  /** `P2P_QUERY_FOR_IP`: without `p2pIp`, learn the public IP from discv5 peers, then put it in the ENR and announce it. */
  queryForIp?: boolean | undefined;
  /** With `queryForIp`: distinct peers that must report the same address (default 3; 1 suits a test network). */
  addrVotesToUpdateEnr?: number;
  /** `P2P_MAX_PEERS`. */
  maxPeers: number;
  /** Peer scoring settings (defaults suit production). */
  scoring?: PeerScoringOptions;
  /** Per-peer req/resp rate limit of each protocol (default 10 per second). */
  reqRespRateLimit?: RateLimit;
  /** How long a req/resp request may take, dial to last byte (default 10 s). */
  reqRespTimeoutMs?: number;
  /** The node software version the `status` protocol reports (default `unknown`; at most 64 bytes). */
  nodeVersion?: string;
  /** Whether to run discv5 and dial what it finds (default true). */
  discovery?: boolean;
  /** `BOOTSTRAP_NODES`: ENRs discovery starts from. */
  bootstrapNodes?: readonly string[];
  /** `P2P_UDP_LISTEN_ADDR` (`ip:port`); defaults to `P2P_LISTEN_ADDR:P2P_PORT`. */
  udpListenAddress?: string | undefined;
  /** How often discovery looks for new peers (default 5 s). */
  discoveryIntervalMs?: number;
}

/** A connected peer, as `p2p_getPeers` reports it. */
export interface PeerInfo {
  /** Its libp2p peer id. */
  id: string;
  /** The remote multiaddrs of its open connections. */
  addresses: string[];
  /** Its application score: 0 is neutral; penalties lower it; at the ban threshold it is disconnected. */
  score: number;
  /** The chain status it reported when it connected (absent when it did not answer). */
  status?: PeerStatusInfo;
}

/** The chain `block` and `status` req/resp serve (the archiver's store fits). */
export type P2PChainSource = BlockSource & ChainStatusSource;

/** What a `P2PService` uses. */
export interface P2PServiceDeps {
  /** The tx pool: gossiped txs are validated by adding them to it; req/resp serves from it. */
  txPool?: P2PTxPool;
  /** The chain: `block` and `status` req/resp serve from it (not served when absent). */
  chain?: P2PChainSource;
  /** Where the p2p metrics are registered (the node's registry, served on `/metrics`); a private one when absent. */
  metrics?: MetricsRegistry;
}

const log = createLogger('p2p');

/**
 * The node's libp2p host: gossip topics versioned by network (tx, block proposal, attestation) with validators that
 * run before forwarding, peer scoring with bans, and req/resp (txs by hash, block by number, chain status; each new
 * peer is asked its status once). Discovery dials through `dial`. Build with `P2PService.create`, then
 * `start()`/`stop()`.
 */
export class P2PService {
  /** Peer scores and bans. */
  readonly scoring: PeerScoring;
  private readonly gossip: Gossip;
  private readonly reqResp: ReqResp;
  private readonly peerStatus: PeerStatusTracker;
  /** discv5, when enabled. */
  readonly discovery: DiscoveryService | undefined;
  private started = false;

  private constructor(
    private readonly config: P2PServiceConfig,
    private readonly deps: P2PServiceDeps,
    /** The underlying libp2p node (for tests and diagnostics). */
    readonly node: P2PLibp2p,
    scoring: PeerScoring,
    /** The public IP discovery learned (`P2P_QUERY_FOR_IP`); libp2p announces it once set. */
    private readonly learned: { ip?: string },
  ) {
    this.scoring = scoring;
    this.gossip = new Gossip(node, scoring, deps.metrics);
    if (deps.metrics) {
      gauge(deps.metrics, {
        name: 'aztec_p2p_connected_peers',
        help: 'Peers with an open libp2p connection',
        collect() {
          this.set(node.getPeers().length);
        },
      });
    }
    this.reqResp = new ReqResp({
      node,
      network: config.network,
      penalize: (peer, code) => this.gossip.penalize(peer, code),
      ...(config.reqRespRateLimit ? { rateLimit: config.reqRespRateLimit } : {}),
      ...(config.reqRespTimeoutMs !== undefined ? { timeoutMs: config.reqRespTimeoutMs } : {}),
    });
    this.reqResp.handle(
      TX_PROTOCOL,
      txHandler(hash => deps.txPool?.getTxByHash(hash)),
    );
    if (deps.chain) {
      this.reqResp.handle(BLOCK_PROTOCOL, blockHandler(deps.chain));
      this.reqResp.handle(STATUS_PROTOCOL, statusHandler(deps.chain, config.nodeVersion ?? 'unknown'));
    }
    this.peerStatus = new PeerStatusTracker(node, peer => requestStatus(this.reqResp, peer));
    if (config.discovery ?? true) {
      this.discovery = new DiscoveryService({
        privateKey: config.privateKey,
        p2pIp: config.p2pIp,
        queryForIp: config.queryForIp,
        p2pPort: config.p2pPort,
        listenAddress: config.listenAddress,
        udpListenAddress: config.udpListenAddress,
        bootstrapNodes: config.bootstrapNodes ?? [],
        ...(config.discoveryIntervalMs !== undefined ? { lookupIntervalMs: config.discoveryIntervalMs } : {}),
        ...(config.addrVotesToUpdateEnr !== undefined ? { addrVotesToUpdateEnr: config.addrVotesToUpdateEnr } : {}),
      });
      this.discovery.onAddress(address => this.announce(address.ip));
    }
    const peers = new PeerManager(node, scoring, config.maxPeers);
    if (this.discovery) peers.watch(this.discovery);
  }

  /** Builds the service (nothing listens until `start()`). */
  static async create(config: P2PServiceConfig, deps: P2PServiceDeps = {}): Promise<P2PService> {
    const scoring = new PeerScoring(config.scoring);
    const learned: { ip?: string } = {};
    const node = await createP2PLibp2p({
      privateKey: peerPrivateKeyFromHex(config.privateKey),
      listenAddress: config.listenAddress,
      port: config.p2pPort,
      announceHost: config.p2pIp,
      learnedHost: () => learned.ip,
      maxPeers: config.maxPeers,
      isBanned: peer => scoring.isBanned(peer),
    });
    return new P2PService(config, deps, node, scoring, learned);
  }

  /** This node's peer id. */
  get peerId(): string {
    return this.node.peerId.toString();
  }

  /** The addresses other nodes can dial, each ending in `/p2p/<peer id>`. */
  getMultiaddrs(): string[] {
    return this.node.getMultiaddrs().map(ma => ma.toString());
  }

  /** The peer ids of the open connections. */
  getPeers(): string[] {
    return this.node.getPeers().map(p => p.toString());
  }

  /**
   * The open connections: each peer's id, its remote addresses, its application score (0 is neutral) and the chain
   * status it reported when it connected.
   */
  getPeerInfo(): PeerInfo[] {
    return this.node.getPeers().map(peer => {
      const id = peer.toString();
      const addresses = this.node.getConnections(peer).map(c => c.remoteAddr.toString());
      const status = this.peerStatus.get(id);
      return { id, addresses, score: this.scoring.getScore(id), ...(status ? { status } : {}) };
    });
  }

  /** The full topic name of `type` on this network. */
  topic(type: TopicType): string {
    return topicName(this.config.network, type);
  }

  /** Starts listening, subscribes to the tx topic (when there is a pool) and serves req/resp. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.node.start();
    this.started = true;
    if (this.deps.txPool) this.subscribe(TopicType.tx, txTopicValidator(this.deps.txPool));
    await this.reqResp.start();
    await this.discovery?.start();
    log.info('Started p2p service', { peerId: this.peerId, addresses: this.getMultiaddrs() });
  }

  /**
   * Closes every connection and stops listening. Safe after a start that failed half-way (each part is stopped,
   * whatever started), and safe to call twice.
   */
  async stop(): Promise<void> {
    const wasStarted = this.started;
    this.started = false;
    const parts: [string, () => Promise<void> | void][] = [
      ['discovery', () => this.discovery?.stop()],
      ['req/resp', () => this.reqResp.stop()],
      ['libp2p', () => this.node.stop()],
    ];
    for (const [name, stop] of parts) {
      try {
        await stop();
      } catch (err) {
        log.warn(`Could not stop ${name}`, { err });
      }
    }
    if (wasStarted) log.info('Stopped p2p service', { peerId: this.peerId });
  }

  /**
   * Subscribes to a topic: `validator` runs on every message before it is delivered or forwarded (reject penalizes the
   * sender); `handler` receives the accepted ones.
   */
  subscribe<T>(type: TopicType, validator: TopicValidator<T>, handler?: TopicHandler<T>): void {
    this.gossip.subscribe(this.topic(type), validator, handler);
  }

  /** Publishes raw bytes on a topic of this network; returns how many peers it was sent to. */
  publish(type: TopicType, data: Uint8Array): Promise<number> {
    return this.gossip.publish(this.topic(type), data);
  }

  /** The peers subscribed to a topic of this network. */
  getTopicPeers(type: TopicType): string[] {
    return this.gossip.subscribers(this.topic(type));
  }

  /** Gossips a tx (e.g. one `sendTx` accepted into the pool) to the network. */
  async propagateTx(tx: Tx): Promise<number> {
    const sent = await this.publish(TopicType.tx, encodeTx(tx));
    log.debug('Propagated tx', { txHash: frToHex(txHash(tx)), peers: sent });
    return sent;
  }

  /** Opens a connection to a multiaddr (ending in `/p2p/<peer id>`); refused for banned peers. */
  async dial(address: string): Promise<void> {
    await this.node.dial(multiaddr(address));
  }

  /** Asks `peer` (a peer id string of a connected peer) for txs by hash (1 to 64) over req/resp. */
  async requestTxsByHash(peer: string, hashes: readonly Fr[]): Promise<Tx[]> {
    return requestTxs(this.reqResp, this.connectedPeer(peer), hashes);
  }

  /**
   * Asks `peer` for block `n` over req/resp; undefined when it has none. The block is checked to be block `n` and,
   * given `archiveRoot` (the archive root after block `n`, e.g. from L1), to claim that root; a peer failing the
   * checks is penalized and the call throws.
   */
  async requestBlock(peer: string, n: bigint, archiveRoot?: Fr): Promise<L2Block | undefined> {
    return requestBlock(this.reqResp, this.connectedPeer(peer), n, archiveRoot);
  }

  /**
   * Lowers `peer`'s score for `code` (counted on `aztec_p2p_peer_penalties_total`), banning and disconnecting it at
   * the threshold: for misbehaviour found outside this service, e.g. a block body that does not match L1.
   */
  penalizePeer(peer: string, code: P2PValidationCode): void {
    const connected = this.node.getPeers().find(p => p.toString() === peer);
    if (connected) this.gossip.penalize(connected, code);
    else this.scoring.penalize(peer, code);
  }

  /** Asks `peer` for its chain status (latest block and archive root, proven block, node version) over req/resp. */
  async requestStatus(peer: string): Promise<ChainStatus> {
    return requestStatus(this.reqResp, this.connectedPeer(peer));
  }

  private connectedPeer(peer: string): PeerId {
    const target = this.node.getPeers().find(p => p.toString() === peer);
    if (!target) throw new Error(`not connected to peer ${peer}`);
    return target;
  }

  /**
   * Announces the IP discovery learned: libp2p's addresses (what identify tells peers) switch to it, and the self
   * record update makes identify push it to the connected peers.
   */
  private announce(ip: string): void {
    if (ip === this.learned.ip) return;
    this.learned.ip = ip;
    const address = tcpMultiaddr(ip, this.config.p2pPort);
    this.node.peerStore
      .patch(this.node.peerId, { multiaddrs: [multiaddr(address)] })
      .catch((err: unknown) => log.warn('Could not record the learned address', { address, err }));
    log.info('Announcing the learned public address to libp2p peers', { addresses: this.getMultiaddrs() });
  }

  /** This node's ENR (`enr:…`), when discovery runs. */
  getEnr(): string | undefined {
    return this.discovery?.getEnr();
  }

  /** Whether a connection to `peer` is open. */
  isConnected(peer: string | PeerId): boolean {
    return this.getPeers().includes(peer.toString());
  }
}
