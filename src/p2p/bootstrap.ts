import type { Hex } from 'viem';

import { createLogger } from '../foundation/log/index.js';
import { DiscoveryService, type DiscoveryConfig } from './discovery.js';

const log = createLogger('p2p').child('bootstrap');

/**
 * A bootnode (`aztec start --p2p-bootstrap`): discv5 only, no libp2p. Other nodes list its ENR in
 * `BOOTSTRAP_NODES` and find each other through it. Set `P2P_IP` so its ENR carries a reachable address.
 */
export class P2PBootstrap {
  private readonly discovery: DiscoveryService;

  constructor(
    config: Omit<DiscoveryConfig, 'privateKey' | 'bootstrapNodes'> & {
      privateKey: Hex;
      bootstrapNodes?: readonly string[];
    },
  ) {
    this.discovery = new DiscoveryService({ ...config, bootstrapNodes: config.bootstrapNodes ?? [] });
  }

  /** Starts discv5 and logs the ENR to give to other nodes. */
  async start(): Promise<void> {
    await this.discovery.start();
    log.info('Bootnode started', { enr: this.getEnr() });
  }

  /** Stops discv5. */
  async stop(): Promise<void> {
    await this.discovery.stop();
  }

  /** The bootnode's ENR (`enr:…`). */
  getEnr(): string {
    return this.discovery.getEnr();
  }
}
