import { resolveAztecConfig } from '../../src/cli/commands/start/parse.js';
import { localNodeConfig } from '../../src/cli/commands/start/local-network.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { createL1PublicClient, type L1PublicClient } from '../../src/l1/clients.js';
import {
  startAztecNode,
  type NodeModules,
  type RunningNode,
  type StartNodeOptions,
} from '../../src/node/aztec-node.js';
import type { AztecConfig } from '../../src/node/config.js';
import { startLocalNetwork, type LocalNetwork } from '../../src/node/local-network.js';

/** A local network in this process: its L1 and contracts, and nodes added on demand; `stop()` stops all of it. */
export interface InProcessNetwork {
  net: LocalNetwork;
  l1: L1PublicClient;
  /**
   * Starts a node on the network's L1 with its own free ports and in-memory data; `configure` may adjust its config,
   * `testing` set the node's test-only hooks.
   */
  addNode(
    modules: NodeModules,
    configure?: (config: AztecConfig) => AztecConfig,
    testing?: StartNodeOptions['testing'],
  ): Promise<RunningNode>;
  /** Asks anvil something (evm_snapshot, evm_revert, evm_increaseTime, ...). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

async function configOn(l1Port: number): Promise<AztecConfig> {
  const flags = {
    '--l1-rpc-urls': `http://127.0.0.1:${l1Port}`,
    '--port': String(await getFreePort()),
    '--admin-port': String(await getFreePort()),
    '--host': '127.0.0.1',
  };
  return resolveAztecConfig({ flags, env: {} }, { defaultNetwork: 'local' }).config;
}

/**
 * Starts the local network's L1 (one genesis validator) on a free port; `l1` may change its deployment constants
 * (e.g. `AZTEC_SLASHING_*`).
 */
export async function startInProcessNetwork(
  opts: { validators?: number; l1?: (config: AztecConfig['l1']) => AztecConfig['l1'] } = {},
): Promise<InProcessNetwork> {
  const l1Port = await getFreePort();
  const l1Config = (await configOn(l1Port)).l1;
  const net = await startLocalNetwork(opts.l1 ? opts.l1(l1Config) : l1Config, { validators: opts.validators ?? 1 });
  const l1 = createL1PublicClient({ rpcUrls: [net.anvil.url], chainId: 31337 });
  const nodes: RunningNode[] = [];
  return {
    net,
    l1,
    addNode: async (modules, configure = c => c, testing) => {
      const node = await startAztecNode(configure(localNodeConfig(await configOn(l1Port), net)), modules, {
        l1Addresses: net.deployment.addresses,
        ...(testing ? { testing } : {}),
      });
      nodes.push(node);
      return node;
    },
    rpc: (method, params = []) => l1.request({ method: method as 'eth_chainId', params: params as never }),
    stop: async () => {
      for (const n of nodes.reverse()) await n.stop();
      await net.stop();
    },
  };
}

/** Waits until `fn` holds, polling; fails naming `what` after `timeoutMs`. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}
