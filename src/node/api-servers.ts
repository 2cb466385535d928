import type { Hex } from 'viem';
import type { Registry } from 'prom-client';

import type { Archiver } from '../archiver/archiver.js';
import { NodeError } from '../foundation/errors/index.js';
import { JsonRpcServer, rpcNamespace, type RpcNamespace } from '../foundation/json-rpc/index.js';
import type { AztecConfig } from './config.js';
import { createAdminApi, type AdminApiDeps } from './api/admin-api.js';
import { createArchiverApi } from './api/archiver-api.js';
import type { NodeApiDeps } from './api/deps.js';
import { HotChain } from './api/hot-reads.js';
import { createNodeApi } from './api/node-api.js';
import { createP2PApi, type P2PPeerSource } from './api/p2p-api.js';
import { archiverApiSchema, nodeAdminApiSchema, nodeApiSchema, p2pApiSchema } from './api/schema.js';
import { networkConfigRoute, nodeRoutes, type NodeStatus } from './http-routes.js';
import type { NetworkConfig } from './network-config.js';

/** What the JSON-RPC servers serve: the archiver always; the node API and P2P with `--node`. */
export interface ApiServerDeps {
  config: AztecConfig;
  archiver: Archiver;
  /** With `--node`: the `node_` and `p2p_` namespaces. */
  node: (NodeApiDeps & { p2p: P2PPeerSource | undefined }) | undefined;
  sequencer: { setGovernancePayload(p: Hex | undefined): void } | undefined;
  /** The node's attesters' doppelganger protection (`nodeAdmin_getValidatorStatus`); absent without a key. */
  validators?: AdminApiDeps['validators'];
  /** `nodeAdmin_exportSnapshot`: present when the node keeps a world state. */
  snapshot: AdminApiDeps['snapshot'];
  status: NodeStatus;
  metrics: Registry;
  networkConfig: () => NetworkConfig;
}

/** The two servers, listening. */
export interface ApiServers {
  rpc: JsonRpcServer;
  admin: JsonRpcServer;
  rpcUrl: string;
  adminUrl: string;
}

const shown = (host: string) => (host === '0.0.0.0' ? '127.0.0.1' : host);

/**
 * The node's namespaces by module: `archiver_` whenever the archiver runs (with `--archiver` alone, the only one);
 * `node_` (also as `aztec_`) and `p2p_` with `--node`; `nodeAdmin_` (also as `aztecAdmin_`) on the admin port. Plus `GET /status`, `/metrics`, `/` and
 * `/network-config`.
 */
export function apiNamespaces(d: Pick<ApiServerDeps, 'archiver' | 'node' | 'status'>): RpcNamespace[] {
  const isReady = () => d.status.report().ready;
  // The tips, latest block number and latest headers, in memory, dropped whenever the archiver commits a change.
  const hot = new HotChain(d.archiver.store, d.archiver);
  const namespaces = [rpcNamespace('archiver', archiverApiSchema, createArchiverApi({ chain: hot, hot, isReady }))];
  if (d.node) {
    const node = createNodeApi(d.node.chain === d.archiver.store ? { ...d.node, chain: hot, hot } : d.node);
    namespaces.push(rpcNamespace('node', nodeApiSchema, node));
    // Newer Aztec nodes serve the same methods as `aztec_`: scripts written against either prefix work.
    namespaces.push(rpcNamespace('aztec', nodeApiSchema, node));
    namespaces.push(rpcNamespace('p2p', p2pApiSchema, createP2PApi(d.node.p2p)));
  }
  return namespaces;
}

/** The admin port's namespace, as `nodeAdmin_` and, as newer Aztec nodes name it, `aztecAdmin_`. */
export function adminNamespaces(
  d: Pick<ApiServerDeps, 'archiver' | 'sequencer' | 'validators' | 'snapshot'>,
): RpcNamespace[] {
  const admin = createAdminApi({
    archiver: d.archiver,
    sequencer: d.sequencer,
    validators: d.validators,
    snapshot: d.snapshot,
  });
  return [rpcNamespace('nodeAdmin', nodeAdminApiSchema, admin), rpcNamespace('aztecAdmin', nodeAdminApiSchema, admin)];
}

/**
 * Builds the JSON-RPC server (AZTEC_PORT) and the admin server (AZTEC_ADMIN_PORT, loopback by default). Not
 * listening yet: register them for teardown, then `listenApiServers`.
 */
export function createApiServers(d: ApiServerDeps): { rpc: JsonRpcServer; admin: JsonRpcServer } {
  const { config } = d;
  const rpc = new JsonRpcServer({
    host: config.node.host,
    port: config.node.port,
    namespaces: apiNamespaces(d),
    routes: { '/network-config': networkConfigRoute(d.networkConfig), ...nodeRoutes(d.status, d.metrics) },
  });
  const admin = new JsonRpcServer({
    host: config.node.adminHost,
    port: config.node.adminPort,
    namespaces: adminNamespaces(d),
  });
  return { rpc, admin };
}

/** A port another process holds: which server, where, and the setting that picks another. */
export class PortInUseError extends NodeError {
  constructor(what: string, host: string, port: number, setting: string, cause: unknown) {
    super(
      'PORT_IN_USE',
      `The ${what} cannot listen on ${host}:${port}: another process uses that port. Pick a free one with ` +
        `${setting} (every node on one machine, or in a container on the host's network, needs ports of its own).`,
      { host, port, setting },
      { cause },
    );
  }
}

async function listenOn(server: JsonRpcServer, what: string, host: string, port: number, setting: string) {
  try {
    return await server.start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(what, host, port, setting, err);
    throw err;
  }
}

/** Starts both servers; resolves with the URLs they answer on. */
export async function listenApiServers(
  config: AztecConfig,
  servers: { rpc: JsonRpcServer; admin: JsonRpcServer },
): Promise<{ rpcUrl: string; adminUrl: string }> {
  const { node } = config;
  const port = await listenOn(servers.rpc, 'JSON-RPC API', node.host, node.port, '--port / AZTEC_PORT');
  const adminPort = await listenOn(
    servers.admin,
    'admin JSON-RPC API',
    node.adminHost,
    node.adminPort,
    '--admin-port / AZTEC_ADMIN_PORT',
  );
  return {
    rpcUrl: `http://${shown(config.node.host)}:${port}`,
    adminUrl: `http://${shown(config.node.adminHost)}:${adminPort}`,
  };
}
