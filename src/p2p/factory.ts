import type { P2PConfig } from './config.js';
import { P2PBootstrap } from './bootstrap.js';
import { resolvePeerPrivateKey } from './peer-key.js';
import { P2PService, type P2PServiceDeps } from './service.js';
import type { NetworkIdentity } from './topics.js';

/** What the composition root passes: the p2p settings, the data directory and the network. */
export interface P2PFactoryInput {
  config: P2PConfig;
  /** `DATA_DIRECTORY`: where the p2p key file lives (absent: a new in-memory key). */
  dataDirectory?: string | undefined;
  network: NetworkIdentity;
  /** The node software version peers see in `status`. */
  nodeVersion?: string;
}

/** Builds a `P2PService` from the resolved settings (the key from `PEER_ID_PRIVATE_KEY` or the key file). */
export function createP2PService(input: P2PFactoryInput, deps: P2PServiceDeps): Promise<P2PService> {
  const { config } = input;
  return P2PService.create(
    {
      network: input.network,
      privateKey: resolvePeerPrivateKey({
        peerIdPrivateKey: config.peerIdPrivateKey,
        dataDirectory: input.dataDirectory,
      }),
      listenAddress: config.listenAddress,
      p2pPort: config.p2pPort,
      p2pIp: config.p2pIp,
      queryForIp: config.queryForIp,
      maxPeers: config.maxPeers,
      bootstrapNodes: config.bootstrapNodes,
      udpListenAddress: config.udpListenAddress,
      ...(input.nodeVersion !== undefined ? { nodeVersion: input.nodeVersion } : {}),
    },
    deps,
  );
}

/** Builds the bootnode of `aztec start --p2p-bootstrap` from the p2p settings. */
export function createP2PBootstrap(input: Omit<P2PFactoryInput, 'network'>): P2PBootstrap {
  const { config } = input;
  return new P2PBootstrap({
    privateKey: resolvePeerPrivateKey({
      peerIdPrivateKey: config.peerIdPrivateKey,
      dataDirectory: input.dataDirectory,
    }),
    p2pIp: config.p2pIp,
    queryForIp: config.queryForIp,
    p2pPort: config.p2pPort,
    listenAddress: config.listenAddress,
    udpListenAddress: config.udpListenAddress,
    bootstrapNodes: config.bootstrapNodes,
  });
}
