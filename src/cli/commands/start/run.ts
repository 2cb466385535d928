import { mkdirSync } from 'node:fs';

import type { ConfigOrigin } from '../../../foundation/config/index.js';
import { errorMessage } from '../../../foundation/errors/index.js';
import { JsonRpcServer } from '../../../foundation/json-rpc/index.js';
import { isAbortError } from '../../../foundation/timers/index.js';
import { createLogger } from '../../../foundation/log/index.js';
import { createL1PublicClient } from '../../../l1/clients.js';
import { startAztecNode, type RunningNode } from '../../../node/aztec-node.js';
import type { AztecConfig } from '../../../node/config.js';
import { networkConfigRoute } from '../../../node/http-routes.js';
import { resolveL1Addresses } from '../../../node/l1-addresses.js';
import { applyNetworkConfig, fetchNetworkConfig, type NetworkConfig } from '../../../node/network-config.js';
import { waitForShutdownSignal } from '../../signals.js';
import type { StartModules } from './modules.js';

/** Where each resolved setting came from, by section (flag, env, preset, default). */
export type ConfigOrigins = Record<string, Record<string, ConfigOrigin>>;

/**
 * `aztec start` with modules chosen by flags: runs them until SIGINT/SIGTERM, then stops them in reverse. With
 * BOOTNODE_URL, what the bootnode supplies (L1 chain id, contract addresses, bootstrap ENRs) fills the settings the
 * operator did not set, in a step that returns a new config.
 */
export async function runStart(config: AztecConfig, modules: StartModules, origins: ConfigOrigins = {}): Promise<void> {
  if (modules.p2pBootstrap) return runBootnode(config);
  let resolved = config;
  if (config.node.bootnodeUrl) {
    if (config.node.dataDirectory) mkdirSync(config.node.dataDirectory, { recursive: true });
    const remote = await fetchNetworkConfig(config.node.bootnodeUrl, config.node.dataDirectory);
    resolved = applyNetworkConfig(config, origins, remote);
    createLogger('node').info('Network config from the bootnode', {
      bootnode: config.node.bootnodeUrl,
      rollup: remote.l1ContractAddresses.rollup,
      bootstrapNodes: remote.bootstrapNodes.length,
    });
  }
  // Ctrl-C while the node still waits at start (for its L1, say) aborts the start; afterwards it stops the node.
  const shutdown = new AbortController();
  const signalled = waitForShutdownSignal().then(signal => {
    shutdown.abort(signal);
    return signal;
  });
  const log = createLogger('node');
  let node: RunningNode;
  try {
    node = await startAztecNode(
      resolved,
      { node: modules.node, archiver: modules.archiver, sequencer: modules.sequencer, proverNode: modules.proverNode },
      { signal: shutdown.signal },
    );
  } catch (err) {
    if (!shutdown.signal.aborted || !isAbortError(err)) throw err;
    log.info('Stopped before the node had started', { signal: await signalled });
    return;
  }
  try {
    log.info('Stopping', { signal: await signalled });
  } finally {
    await node.stop();
  }
}

/**
 * `aztec start --p2p-bootstrap`: a bootnode serving discovery, and `GET /network-config` on AZTEC_PORT (the L1 chain
 * id, the contract addresses when it knows them, its ENR) for nodes started with BOOTNODE_URL.
 */
async function runBootnode(config: AztecConfig): Promise<void> {
  const log = createLogger('bootnode');
  // Loaded here only: a node without P2P never loads libp2p and discv5.
  const { createP2PBootstrap } = await import('../../../p2p/factory.js');
  const bootnode = createP2PBootstrap({ config: config.p2p, dataDirectory: config.node.dataDirectory });
  await bootnode.start();
  let network: NetworkConfig | undefined;
  if (config.l1.rollupAddress ?? config.l1.registryAddress) {
    try {
      const client = createL1PublicClient({ rpcUrls: config.l1.l1RpcUrls, chainId: config.l1.l1ChainId });
      network = {
        l1ChainId: config.l1.l1ChainId,
        l1ContractAddresses: await resolveL1Addresses(config.l1, client, config.node.network),
        bootstrapNodes: [bootnode.getEnr(), ...(config.p2p.bootstrapNodes ?? [])],
      };
    } catch (err) {
      log.warn('Serving discovery only: the network contracts could not be read from L1', { error: errorMessage(err) });
    }
  }
  const http = new JsonRpcServer({
    host: config.node.host,
    port: config.node.port,
    namespaces: [],
    routes: { '/network-config': networkConfigRoute(() => network) },
  });
  await http.start();
  try {
    process.stdout.write(`Bootnode ENR (give it to nodes as BOOTSTRAP_NODES):\n${bootnode.getEnr()}\n`);
    const signal = await waitForShutdownSignal();
    log.info('Stopping', { signal });
  } finally {
    await http.stop();
    await bootnode.stop();
  }
}
