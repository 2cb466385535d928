import { ConfigParseError, defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** `P2P_IP`: an IP or a host name; `query` (aztec-spartan's answer) is spelled P2P_QUERY_FOR_IP=true here. */
const p2pIp = p.makeParser(
  { expected: p.host.expected, placeholder: p.host.placeholder, sample: p.host.sample },
  raw => {
    if (raw.toLowerCase() === 'query') {
      throw new ConfigParseError('to have the node learn its IP, leave P2P_IP unset and set P2P_QUERY_FOR_IP=true');
    }
    return p.host(raw);
  },
);

/** Peer-to-peer settings (the guide's "P2P Config" table). */
export const p2pConfigMappings = defineConfigMappings({
  enabled: {
    env: 'P2P_ENABLED',
    flag: '--p2p-enabled',
    parse: p.boolean,
    default: false,
    description: 'Whether to run the P2P module. Defaults to false, so make sure to set it to true.',
  },
  bootstrapNodes: {
    env: 'BOOTSTRAP_NODES',
    flag: '--p2p.bootstrapNodes',
    parse: p.enrList,
    default: [],
    description: 'A list of bootstrap peer ENRs to connect to, separated by commas.',
  },
  p2pIp: {
    env: 'P2P_IP',
    flag: '--p2p.p2pIp',
    parse: p2pIp,
    defaultText: 'none: other nodes cannot dial this one (see P2P_QUERY_FOR_IP)',
    description:
      "The node's public IP address (or a fixed host name), announced so other nodes can connect. Behind a NAT or where the IP is not known in advance, leave it unset and set P2P_QUERY_FOR_IP=true.",
  },
  p2pPort: {
    env: 'P2P_PORT',
    flag: '--p2p.p2pPort',
    parse: p.port,
    default: 40400,
    description: 'The port used for sending and receiving p2p messages; TCP and UDP share it.',
  },
  listenAddress: {
    env: 'P2P_LISTEN_ADDR',
    // The guide's table spells it P2P_LISTEN_ARR; accept that too.
    envAliases: ['P2P_LISTEN_ARR'],
    flag: '--p2p.listenAddress',
    parse: p.ipAddress,
    default: '0.0.0.0',
    description: 'Address to listen on for p2p messages.',
  },
  udpListenAddress: {
    env: 'P2P_UDP_LISTEN_ADDR',
    flag: '--p2p.udpListenAddress',
    parse: p.ipAndPort,
    defaultText: 'P2P_LISTEN_ADDR:P2P_PORT',
    description: 'UDP (discovery) listen address, <IP_ADDRESS>:<PORT>; 0.0.0.0:<UDP_PORT> listens on all interfaces.',
  },
  queryForIp: {
    env: 'P2P_QUERY_FOR_IP',
    flag: '--p2p.queryForIp',
    parse: p.boolean,
    default: false,
    description:
      'Without P2P_IP: learn the public IP from the address discv5 peers see (several must agree), then put it in the ENR and announce it to libp2p peers. Useful behind a NAT or where the IP is not known in advance.',
  },
  maxPeers: {
    env: 'P2P_MAX_PEERS',
    flag: '--p2p.maxPeers',
    parse: p.integer({ min: 1, placeholder: '<peers>' }),
    default: 100,
    description: 'The max number of peers to connect to.',
  },
  blockCheckIntervalMs: {
    env: 'P2P_BLOCK_CHECK_INTERVAL_MS',
    flag: '--p2p.blockCheckIntervalMs',
    parse: p.positiveMs,
    default: 100,
    description: 'How many milliseconds to wait between each check for new L2 blocks.',
  },
  maxTxPoolSize: {
    env: 'P2P_MAX_TX_POOL_SIZE',
    flag: '--p2p.maxTxPoolSize',
    parse: p.integer({ min: 1, placeholder: '<bytes>' }),
    default: 100_000_000,
    description:
      'The most bytes of pending txs the tx pool holds; beyond it a tx that pays more per L2 gas evicts the lowest-paying ones.',
  },
  maxPendingTxCount: {
    env: 'P2P_MAX_PENDING_TX_COUNT',
    flag: '--p2p.maxPendingTxCount',
    parse: p.integer({ min: 1, placeholder: '<txs>' }),
    default: 10_000,
    description:
      'The most pending txs the tx pool holds; beyond it a tx that pays more per L2 gas evicts the lowest-paying ones.',
  },
  peerIdPrivateKey: {
    env: 'PEER_ID_PRIVATE_KEY',
    flag: '--p2p.peerIdPrivateKey',
    parse: p.peerIdPrivateKey,
    secret: true,
    defaultText: 'generated and stored in the data directory',
    description: 'The private key of the p2p identity (peer id and ENR).',
  },
});

/** Typed p2p settings. */
export type P2PConfig = ConfigOf<typeof p2pConfigMappings>;
