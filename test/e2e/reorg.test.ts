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
import { frToHex } from '../../src/types/fr.js';

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/** An L1 reorg under a synced node: blocks whose L1 transactions are gone are removed, and the new ones fetched. */
describe('L1 reorg', () => {
  let net: LocalNetwork | undefined;
  const nodes: RunningNode[] = [];
  afterAll(async () => {
    for (const n of nodes.reverse()) await n.stop();
    await net?.stop();
  });

  it('unwinds a follower to the surviving blocks and ends on the new chain, equal to L1', async () => {
    configureLogging({ level: 'warn' });
    const l1Port = await getFreePort();
    const flags = async () => ({
      '--l1-rpc-urls': `http://127.0.0.1:${l1Port}`,
      '--port': String(await getFreePort()),
      '--admin-port': String(await getFreePort()),
      '--host': '127.0.0.1',
    });
    const config = resolveAztecConfig({ flags: await flags(), env: {} }, { defaultNetwork: 'local' }).config;
    net = await startLocalNetwork(config.l1, { validators: 1 });
    const addresses = net.deployment.addresses;
    const l1 = createL1PublicClient({ rpcUrls: [net.anvil.url], chainId: 31337 });
    const rpc = (method: string, params: unknown[] = []) =>
      l1.request({ method: method as 'eth_chainId', params: params as never });
    nodes.push(
      await startAztecNode(
        localNodeConfig(config, net),
        { node: true, archiver: true, sequencer: true, proverNode: false },
        { l1Addresses: addresses },
      ),
    );
    const followerConfig = resolveAztecConfig({ flags: await flags(), env: {} }, { defaultNetwork: 'local' }).config;
    const follower = await startAztecNode(
      localNodeConfig(followerConfig, net),
      { node: true, archiver: true, sequencer: false, proverNode: false },
      { l1Addresses: addresses },
    );
    nodes.push(follower);
    const events: ArchiverEvent[] = [];
    follower.archiver.subscribe(e => events.push(e));

    await until('block 1 on the follower', () => follower.archiver.store.getLatestBlockNumber() >= 1n);
    const snapshot = (await rpc('evm_snapshot')) as string;
    const kept = follower.archiver.store.getLatestBlockNumber();
    await until('two more blocks on the follower', () => follower.archiver.store.getLatestBlockNumber() >= kept + 2n);
    const gone = follower.archiver.store.getBlockHash(kept + 1n);
    expect(await rpc('evm_revert', [snapshot])).toBe(true);

    await until('the follower to see the reorg', () =>
      events.some(e => e.type === 'chain-pruned' && e.reason === 'l1-reorg'),
    );
    // The sequencer re-proposes on the surviving chain; the follower ends on what L1 holds.
    await until('a new block after the reorg', async () => {
      const n = follower.archiver.store.getLatestBlockNumber();
      if (n < kept + 1n) return false;
      const onL1 = await l1.readContract({
        address: addresses.rollup,
        abi: RollupAbi,
        functionName: 'archiveAt',
        args: [n],
      });
      return frToHex(follower.archiver.store.getArchiveRoot(n)!) === onL1;
    });
    expect(follower.archiver.store.getBlockHash(kept + 1n)).not.toBe(gone);
  }, 180_000);
});
