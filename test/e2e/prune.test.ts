import { afterAll, describe, expect, it } from 'vitest';

import type { ArchiverEvent } from '../../src/archiver/types.js';
import { resolveAztecConfig } from '../../src/cli/commands/start/parse.js';
import { localNodeConfig } from '../../src/cli/commands/start/local-network.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { startAztecNode, type RunningNode } from '../../src/node/aztec-node.js';
import { startLocalNetwork, type LocalNetwork } from '../../src/node/local-network.js';

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/** Without a prover, an epoch is pruned once its proof window passes, and every node unwinds to the proven tip. */
describe('prune', () => {
  let net: LocalNetwork | undefined;
  const nodes: RunningNode[] = [];
  afterAll(async () => {
    for (const n of nodes.reverse()) await n.stop();
    await net?.stop();
  });

  it('unwinds the sequencer’s node and a follower, and the chain continues from the proven tip', async () => {
    configureLogging({ level: 'warn' });
    const flags = async () => ({
      '--l1-rpc-urls': `http://127.0.0.1:${l1Port}`,
      '--port': String(await getFreePort()),
      '--admin-port': String(await getFreePort()),
      '--host': '127.0.0.1',
    });
    const l1Port = await getFreePort();
    const config = resolveAztecConfig({ flags: await flags(), env: {} }, { defaultNetwork: 'local' }).config;
    net = await startLocalNetwork(config.l1, { validators: 1 });
    const addresses = net.deployment.addresses;
    const sequencerNode = await startAztecNode(
      localNodeConfig(config, net),
      { node: true, archiver: true, sequencer: true, proverNode: false },
      { l1Addresses: addresses },
    );
    nodes.push(sequencerNode);
    const followerConfig = resolveAztecConfig({ flags: await flags(), env: {} }, { defaultNetwork: 'local' }).config;
    const follower = await startAztecNode(
      localNodeConfig(followerConfig, net),
      { node: true, archiver: true, sequencer: false, proverNode: false },
      { l1Addresses: addresses },
    );
    nodes.push(follower);
    const pruned = nodes.map(() => [] as ArchiverEvent[]);
    nodes.forEach((n, i) => n.archiver.subscribe(e => e.type === 'chain-pruned' && pruned[i]!.push(e)));

    await until('3 blocks on both nodes', () => nodes.every(n => n.archiver.store.getLatestBlockNumber() >= 3n));
    const before = sequencerNode.archiver.store.getBlockHash(1n);

    // Jump L1 past the proof window of epoch 0: (epoch + window) slots of 8 s.
    const l1 = createL1PublicClient({ rpcUrls: [net.anvil.url], chainId: 31337 });
    await l1.request({ method: 'evm_increaseTime' as 'eth_chainId', params: [(8 + 16) * 8] as never });

    await until('both nodes to unwind', () => pruned.every(p => p.length > 0));
    for (const p of pruned) expect(p[0]).toMatchObject({ type: 'chain-pruned', blockNumber: 0n, reason: 'l2-prune' });
    expect(
      await l1.readContract({ address: addresses.rollup, abi: RollupAbi, functionName: 'getProvenBlockNumber' }),
    ).toBe(0n);

    // The sequencer builds on the proven tip again; both nodes follow the new chain.
    await until('a new block 1 on both', () =>
      nodes.every(n => {
        const h = n.archiver.store.getBlockHash(1n);
        return h !== undefined && h !== before;
      }),
    );
    const [a, b] = nodes.map(n => n.archiver.store.getBlockHash(1n));
    expect(a).toBe(b);
  }, 180_000);
});
