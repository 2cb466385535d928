import { Discv5 } from '@chainsafe/discv5';
import type { ENR } from '@chainsafe/enr';
import { SignableENR } from '@chainsafe/enr';
import type { EventEmitter } from 'node:events';

import type { Hex } from 'viem';

import { createLogger } from '../foundation/log/index.js';
import { peerPrivateKeyFromHex } from './peer-key.js';

/** Settings of discovery (from `P2PConfig`). */
export interface DiscoveryConfig {
  /** The same secp256k1 key as the libp2p node, so the ENR's peer id is the libp2p peer id. */
  privateKey: Hex;
  /** `P2P_IP`: put in the ENR when set. */
  p2pIp?: string | undefined;
  /**
   * `P2P_QUERY_FOR_IP`: without `p2pIp`, learn the public address from what peers see (their PONGs) and put it in the
   * ENR. Without either, the ENR has no address and other nodes cannot dial this one.
   */
  queryForIp?: boolean | undefined;
  /** With `queryForIp`: how many distinct peers must report the same address before it is taken (default 3). */
  addrVotesToUpdateEnr?: number;
  /** `P2P_PORT`: the TCP and UDP ports of the ENR. */
  p2pPort: number;
  /** `P2P_LISTEN_ADDR`: the UDP socket binds here unless `udpListenAddress` says otherwise. */
  listenAddress: string;
  /** `P2P_UDP_LISTEN_ADDR` (`ip:port`). */
  udpListenAddress?: string | undefined;
  /** `BOOTSTRAP_NODES`: ENRs to start from. */
  bootstrapNodes: readonly string[];
  /** How often to look for new peers (default 5 s; the first lookup runs at start). */
  lookupIntervalMs?: number;
}

/**
 * Distinct peers that must agree on this node's address before it goes in the ENR. discv5's own default (10) suits
 * Ethereum's network size; an Aztec network may show a new node only a few peers, and a wrong address costs no more
 * than staying undialable until the next votes.
 */
export const DEFAULT_ADDR_VOTES_TO_UPDATE_ENR = 3;

/** The public address learned from peers (`P2P_QUERY_FOR_IP`): the ENR's IP and ports. */
export interface LearnedAddress {
  ip: string;
  /** As the peers see it (may differ from the bound port behind a NAT). */
  udpPort: number;
  /** `P2P_PORT`: the libp2p TCP port, assumed forwarded like the UDP one. */
  tcpPort: number;
}

/** A peer found by discovery that libp2p can dial: `/ip4/…/tcp/…/p2p/<peer id>`. */
export interface DiscoveredPeer {
  peerId: string;
  multiaddr: string;
  enr: string;
}

const log = createLogger('p2p').child('discovery');

function udpBindAddr(config: DiscoveryConfig, key: Hex) {
  const [ip = config.listenAddress, port = String(config.p2pPort)] = config.udpListenAddress?.split(':') ?? [];
  // discv5 wants a multiaddr of its own (v12) copy: build it through an ENR of the same package family.
  const tmp = SignableENR.createV4(Buffer.from(key.slice(2), 'hex'));
  tmp.ip = ip;
  tmp.udp = Number(port);
  const ma = tmp.getLocationMultiaddr('udp');
  if (!ma) throw new Error(`cannot bind discovery to ${ip}:${port}`);
  return ma;
}

/** The libp2p dial address of an ENR with an IP and TCP port, or undefined. */
export function dialableAddress(enr: ENR): DiscoveredPeer | undefined {
  const tcp = enr.getLocationMultiaddr('tcp');
  if (!tcp) return undefined;
  const peerId = enr.peerId.toString();
  return { peerId, multiaddr: `${tcp.toString()}/p2p/${peerId}`, enr: enr.encodeTxt() };
}

/**
 * discv5 peer discovery: a UDP service that walks the DHT from `BOOTSTRAP_NODES` and reports the peers it finds
 * (`onPeer`). Lookups run in a loop that never overlaps itself and stops with `stop()`.
 */
export class DiscoveryService {
  private readonly discv5: Discv5;
  private readonly listeners: ((peer: DiscoveredPeer) => void)[] = [];
  private readonly addressListeners: ((address: LearnedAddress) => void)[] = [];
  /** Whether the ENR's address comes from peers' votes (`P2P_QUERY_FOR_IP` without `P2P_IP`). */
  private readonly learnsAddress: boolean;
  private timer: NodeJS.Timeout | undefined;
  private lookup: Promise<void> | undefined;
  private running = false;

  constructor(private readonly config: DiscoveryConfig) {
    const privateKey = peerPrivateKeyFromHex(config.privateKey);
    const enr = SignableENR.createFromPrivateKey(privateKey as Parameters<typeof SignableENR.createFromPrivateKey>[0]);
    if (config.p2pIp !== undefined) {
      enr.ip = config.p2pIp;
      enr.tcp = config.p2pPort;
      enr.udp = config.p2pPort;
    }
    this.learnsAddress = config.p2pIp === undefined && config.queryForIp === true;
    this.discv5 = Discv5.create({
      enr,
      privateKey: privateKey as Parameters<typeof Discv5.create>[0]['privateKey'],
      bindAddrs: { ip4: udpBindAddr(config, config.privateKey) },
      config: {
        enrUpdate: this.learnsAddress,
        addrVotesToUpdateEnr: config.addrVotesToUpdateEnr ?? DEFAULT_ADDR_VOTES_TO_UPDATE_ENR,
        lookupTimeout: 2000,
      },
    });
    // discv5's typed emitter does not resolve under NodeNext; it is a plain EventEmitter.
    const events = this.discv5 as unknown as EventEmitter;
    events.on('discovered', (found: ENR) => this.report(found));
    // discv5 has just put the winning IP and UDP port in the ENR; add the TCP port so libp2p peers can dial it.
    events.on('multiaddrUpdated', () => this.addressLearned());
  }

  /** Calls `listener` each time the public address is learned from peers (`P2P_QUERY_FOR_IP`), after the ENR has it. */
  onAddress(listener: (address: LearnedAddress) => void): void {
    this.addressListeners.push(listener);
  }

  /** Calls `listener` for each peer discovered (with a TCP address). */
  onPeer(listener: (peer: DiscoveredPeer) => void): void {
    this.listeners.push(listener);
  }

  /** This node's ENR, `enr:…`. */
  getEnr(): string {
    return this.discv5.enr.toENR().encodeTxt();
  }

  /** Peers in the routing table. */
  getKnownPeers(): DiscoveredPeer[] {
    return this.discv5.kadValues().flatMap(e => dialableAddress(e) ?? []);
  }

  /** Binds the UDP socket, adds the bootstrap ENRs and starts looking for peers. */
  async start(): Promise<void> {
    await this.discv5.start();
    this.running = true;
    for (const enr of this.config.bootstrapNodes) {
      try {
        this.discv5.addEnr(enr);
      } catch (err) {
        log.warn('Skipping a bootstrap node whose ENR does not decode', { enr, err });
      }
    }
    log.info('Started discovery', { enr: this.getEnr(), bootstrapNodes: this.config.bootstrapNodes.length });
    if (this.learnsAddress) {
      log.info("Learning this node's public IP from what discv5 peers see (P2P_QUERY_FOR_IP)", {
        votesNeeded: this.config.addrVotesToUpdateEnr ?? DEFAULT_ADDR_VOTES_TO_UPDATE_ENR,
      });
    } else if (this.config.p2pIp === undefined) {
      log.warn(
        "This node's ENR has no IP address, so other nodes cannot dial it (it can still dial out). " +
          'Set P2P_IP to its public address, or P2P_QUERY_FOR_IP=true to learn it from peers (e.g. behind a NAT).',
        { enr: this.getEnr() },
      );
    } else if (this.config.queryForIp) {
      log.info('P2P_IP is set, so P2P_QUERY_FOR_IP is not used', { p2pIp: this.config.p2pIp });
    }
    this.scheduleLookup(0);
  }

  /** Stops the lookups and closes the UDP socket. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.lookup;
    await this.discv5.stop();
  }

  private scheduleLookup(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.askForVotes();
      this.lookup = this.discv5
        .findRandomNode()
        .then(found => found.forEach(e => this.report(e)))
        .catch((err: unknown) => log.debug('Lookup failed', { err }))
        .finally(() => this.scheduleLookup(this.config.lookupIntervalMs ?? 5000));
    }, delayMs);
  }

  /**
   * Until the address is known, pings the routing table: each PONG is a vote for the address the peer saw (on its own,
   * discv5 pings a peer only every 5 minutes).
   */
  private askForVotes(): void {
    if (!this.learnsAddress || this.discv5.enr.ip !== undefined) return;
    for (const enr of this.discv5.kadValues()) {
      this.discv5.sendPing(enr).catch((err: unknown) => log.debug('Ping failed', { err }));
    }
  }

  private addressLearned(): void {
    const enr = this.discv5.enr;
    const { ip, udp } = enr;
    if (ip === undefined || udp === undefined) return;
    if (enr.tcp !== this.config.p2pPort) enr.tcp = this.config.p2pPort;
    const address = { ip, udpPort: udp, tcpPort: this.config.p2pPort };
    log.info("Learned this node's public address from discv5 peers (now in its ENR)", {
      ...address,
      enr: this.getEnr(),
    });
    for (const l of this.addressListeners) l(address);
  }

  private report(enr: ENR): void {
    const peer = dialableAddress(enr);
    if (!peer) return;
    for (const l of this.listeners) l(peer);
  }
}
