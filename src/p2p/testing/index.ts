import { getFreePort } from '../../foundation/net/free-port.js';
import { TxPool } from '../../tx-pool/index.js';
import {
  ALICE,
  commitFundingBlock,
  openTestWorld,
  TEST_CHAIN_ID,
  TEST_PORTAL,
  TEST_VERSION,
  type TestWorld,
} from '../../protocol/testing/index.js';
import { P2PBootstrap } from '../bootstrap.js';
import { generatePeerPrivateKeyHex } from '../peer-key.js';
import { P2PService, type P2PServiceConfig, type P2PServiceDeps } from '../service.js';
import type { NetworkIdentity } from '../topics.js';

export * from './chain.js';

/** The network the test nodes join unless told otherwise. */
export const TEST_NETWORK: NetworkIdentity = {
  l1ChainId: TEST_CHAIN_ID,
  rollupAddress: '0x00000000000000000000000000000000000a11ce',
  version: TEST_VERSION,
};

/** A service config on 127.0.0.1, a free port, a fresh key, the test network and no discovery; `over` changes it. */
export async function testServiceConfig(over: Partial<P2PServiceConfig> = {}): Promise<P2PServiceConfig> {
  return {
    network: TEST_NETWORK,
    privateKey: generatePeerPrivateKeyHex(),
    listenAddress: '127.0.0.1',
    p2pPort: await getFreePort(),
    maxPeers: 10,
    discovery: false,
    ...over,
  };
}

/** A started bootnode (discv5 only) on 127.0.0.1 and a free port, with a fresh key; the caller stops it. */
export async function startLoopbackBootnode(): Promise<P2PBootstrap> {
  const bootnode = new P2PBootstrap({
    privateKey: generatePeerPrivateKeyHex(),
    p2pIp: '127.0.0.1',
    p2pPort: await getFreePort(),
    listenAddress: '127.0.0.1',
  });
  await bootnode.start();
  return bootnode;
}

/** The test nodes a test file started: `pair()` starts two (as `startPair`), `stopAll()` (after each test) stops them. */
export class TestNodes {
  private nodes: TestNode[] = [];

  async pair(...args: Parameters<typeof startPair>): Promise<[client: TestNode, server: TestNode]> {
    const started = await startPair(...args);
    this.nodes.push(...started);
    return started;
  }

  async stopAll(): Promise<void> {
    const nodes = this.nodes;
    this.nodes = [];
    await Promise.all(nodes.map(n => n.stop()));
  }
}

/** A started test node: its p2p service, its tx pool and the world behind it. */
export interface TestNode {
  p2p: P2PService;
  pool: TxPool;
  world: TestWorld;
  /** Stops the service and closes the store. */
  stop(): Promise<void>;
}

/** Starts a p2p node on 127.0.0.1 with a funded (Alice) world and a tx pool; `deps` adds e.g. a chain source. */
export async function startTestNode(
  over: Partial<P2PServiceConfig> = {},
  deps: Omit<P2PServiceDeps, 'txPool'> = {},
): Promise<TestNode> {
  const world = await openTestWorld();
  await commitFundingBlock(world, [[ALICE, 10n ** 12n]], []);
  const pool = new TxPool({
    store: world.store,
    worldState: world.worldState,
    l1ChainId: TEST_CHAIN_ID,
    version: TEST_VERSION,
    feeJuicePortal: TEST_PORTAL,
  });
  const p2p = await P2PService.create(await testServiceConfig(over), { txPool: pool, ...deps });
  await p2p.start();
  return {
    p2p,
    pool,
    world,
    stop: async () => {
      await p2p.stop();
      await world.store.close();
    },
  };
}

/**
 * Starts a client node and a server node (`server` and `serverDeps` configure the latter, `client` the former) and
 * connects the client to the server; the caller stops both.
 */
export async function startPair(
  server: Partial<P2PServiceConfig> = {},
  serverDeps: Omit<P2PServiceDeps, 'txPool'> = {},
  client: Partial<P2PServiceConfig> = {},
): Promise<[client: TestNode, server: TestNode]> {
  const a = await startTestNode(client);
  const b = await startTestNode(server, serverDeps);
  await a.p2p.dial(b.p2p.getMultiaddrs()[0] ?? '');
  await waitFor('connection', () => b.p2p.isConnected(a.p2p.peerId));
  return [a, b];
}

/** Resolves once `cond()` holds, checking every 20 ms; rejects after `timeoutMs` naming `what`. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}
export * from './wrong-bodies.js';
