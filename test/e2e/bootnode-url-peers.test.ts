import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ENR } from '@chainsafe/enr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { nodeApiSchema, p2pApiSchema } from '../../src/node/api/schema.js';
import { NetworkConfigSchema, type NetworkConfig } from '../../src/node/network-config.js';
import { spawnAztec, startLocalNetworkProcess, type AztecProcess } from '../helpers/cli.js';
import { until } from '../helpers/in-process-network.js';

/** A process's loopback ports: its JSON-RPC URL, its P2P port, and the env that sets them. */
interface NodePorts {
  rpcUrl: string;
  env: Record<string, string>;
  p2pPort: number;
}

/** Free loopback ports for a process: JSON-RPC, admin and P2P (TCP and UDP). */
async function nodePorts(): Promise<NodePorts> {
  const [rpc, admin, p2p] = [await getFreePort(), await getFreePort(), await getFreePort()];
  return {
    rpcUrl: `http://127.0.0.1:${rpc}`,
    p2pPort: p2p,
    env: {
      AZTEC_HOST: '127.0.0.1',
      AZTEC_PORT: String(rpc),
      AZTEC_ADMIN_PORT: String(admin),
      P2P_IP: '127.0.0.1',
      P2P_LISTEN_ADDR: '127.0.0.1',
      P2P_PORT: String(p2p),
    },
  };
}

async function getNetworkConfig(url: string): Promise<NetworkConfig> {
  const res = await fetch(`${url}/network-config`);
  expect(res.status).toBe(200);
  return NetworkConfigSchema.parse(await res.json());
}

/** The peer id of the ENR in `enrs` that announces 127.0.0.1 and `tcpPort` (a node's own entry). */
function peerIdAt(enrs: string[], tcpPort: number): string {
  const found = enrs.map(e => ENR.decodeTxt(e)).find(e => e.ip === '127.0.0.1' && e.tcp === tcpPort);
  expect(found, `an ENR for 127.0.0.1:${tcpPort} among ${enrs.join(', ')}`).toBeDefined();
  return found!.peerId.toString();
}

/** The table `aztec start --local-network` prints under "L1 contracts:", as `{ name: address }`. */
function printedContracts(stdout: string): Record<string, string> {
  const table = /L1 contracts:\n((?: {2}\w+\s+0x[0-9a-fA-F]{40}\n)+)/.exec(stdout)?.[1] ?? '';
  return Object.fromEntries([...table.matchAll(/(\w+)\s+(0x[0-9a-fA-F]{40})/g)].map(m => [m[1]!, m[2]!]));
}

/**
 * The operator guide's bootnode flow with P2P: a bootnode (`aztec start --p2p-bootstrap`) serves `/network-config`,
 * and a node started with only `BOOTNODE_URL` and the L1 URLs syncs and finds the network's P2P node through the
 * bootnode's ENR alone. Every process here is a real `aztec` process on loopback, stopped by PID afterwards.
 */
describe('BOOTNODE_URL with P2P: the bootnode’s /network-config and peers found through its ENR', () => {
  const procs: AztecProcess[] = [];
  const dirs: string[] = [];
  let network: Awaited<ReturnType<typeof startLocalNetworkProcess>>;
  let l1Env: Record<string, string>;
  let bootnode: NodePorts;
  let bootnodeEnr: string;
  let peer: NodePorts;

  const dataDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `aztec-bootnode-peers-${name}-`));
    dirs.push(dir);
    return dir;
  };
  const spawn = (args: string[], env: Record<string, string>) => {
    const proc = spawnAztec(args, env);
    procs.push(proc);
    return proc;
  };

  beforeAll(async () => {
    // The local network: an L1 with the contracts and one node producing blocks (without P2P).
    network = await startLocalNetworkProcess();
    procs.push(network.proc);
    l1Env = { ETHEREUM_HOSTS: network.l1Url, L1_CONSENSUS_HOST_URLS: network.l1Url };

    // Its bootnode, configured as `--local-network --validators N` configures its own.
    bootnode = await nodePorts();
    const boot = spawn(['start', '--p2p-bootstrap'], {
      ...l1Env,
      ...bootnode.env,
      NETWORK: 'local',
      DATA_DIRECTORY: dataDir('bootnode'),
    });
    await boot.waitFor(/Bootnode ENR[^\n]*\nenr:\S+\n/, 60_000);
    bootnodeEnr = /\n(enr:\S+)\n/.exec(boot.output().stdout)![1]!;

    // A P2P node of the network that knows the bootnode from BOOTSTRAP_NODES.
    peer = await nodePorts();
    const peerProc = spawn(['start', '--archiver', '--node'], {
      ...l1Env,
      ...peer.env,
      NETWORK: 'local',
      P2P_ENABLED: 'true',
      BOOTSTRAP_NODES: bootnodeEnr,
      DATA_DIRECTORY: dataDir('peer'),
    });
    await peerProc.waitFor(/Node started/, 90_000);
  }, 240_000);

  afterAll(async () => {
    // Newest first, all by PID (process group); a process that ignores SIGINT is killed after 15 s.
    await Promise.all(procs.reverse().map(p => p.stop('SIGINT')));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('the bootnode serves /network-config: the L1 chain id, the contracts the network uses, and its own ENR', async () => {
    const served = await getNetworkConfig(bootnode.rpcUrl);
    expect(served.l1ChainId).toBe(31337);
    const deployed = printedContracts(network.proc.output().stdout);
    expect(Object.keys(deployed).sort()).toEqual(Object.keys(served.l1ContractAddresses).sort());
    expect(served.l1ContractAddresses).toEqual(deployed);
    expect(served.l1ContractAddresses.rollup).toBe(network.rollup);
    expect(served.bootstrapNodes[0]).toBe(bootnodeEnr);
    const enr = ENR.decodeTxt(bootnodeEnr);
    expect([enr.ip, enr.udp]).toEqual(['127.0.0.1', bootnode.p2pPort]);
  });

  it('a node with only BOOTNODE_URL and the L1 URLs syncs and connects to the network’s P2P node', async () => {
    const fresh = await nodePorts();
    const node = spawn(['start', '--archiver', '--node'], {
      ...l1Env,
      ...fresh.env,
      BOOTNODE_URL: bootnode.rpcUrl,
      P2P_ENABLED: 'true',
      DATA_DIRECTORY: dataDir('fresh'),
    });
    await node.waitFor(/Node started/, 90_000);

    // The bootnode's ENR reached the node's P2P settings (it lists what it was given, then its own ENR).
    const own = await getNetworkConfig(fresh.rpcUrl);
    expect(own.bootstrapNodes[0]).toBe(bootnodeEnr);
    expect(own.l1ContractAddresses.rollup).toBe(network.rollup);
    const freshId = peerIdAt(own.bootstrapNodes, fresh.p2pPort);
    const peerId = peerIdAt((await getNetworkConfig(peer.rpcUrl)).bootstrapNodes, peer.p2pPort);

    // It syncs to where the network was when it started.
    const chain = createRpcClient(network.rpcUrl, 'node', nodeApiSchema);
    await until('a first block on the network', async () => (await chain.getBlockNumber()) >= 1, 90_000);
    const target = await chain.getBlockNumber();
    const synced = createRpcClient(fresh.rpcUrl, 'node', nodeApiSchema);
    await until(`block ${target} on the new node`, async () => (await synced.getBlockNumber()) >= target, 90_000);

    // Discovery through the bootnode found the network's P2P node: both ends see the connection.
    const p2p = createRpcClient(fresh.rpcUrl, 'p2p', p2pApiSchema);
    await until(
      'the new node to connect to the network’s P2P node',
      async () => (await p2p.getPeers()).some(p => p.id === peerId),
      60_000,
    );
    const connection = (await p2p.getPeers()).find(p => p.id === peerId)!;
    expect(connection.addresses.some(a => a.startsWith('/ip4/127.0.0.1/tcp/'))).toBe(true);
    const peerSide = createRpcClient(peer.rpcUrl, 'p2p', p2pApiSchema);
    await until(
      'the network’s P2P node to list the new node',
      async () => (await peerSide.getPeers()).some(p => p.id === freshId),
      10_000,
    );
  }, 180_000);
});
