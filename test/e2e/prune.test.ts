import { afterAll, describe, expect, it } from 'vitest';

import type { ArchiverEvent } from '../../src/archiver/types.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** Without a prover, an epoch is pruned once its proof window passes, and every node unwinds to the proven tip. */
describe('prune', () => {
  let network: InProcessNetwork | undefined;
  afterAll(async () => {
    await network?.stop();
  });

  it('unwinds the sequencer’s node and a follower, and the chain continues from the proven tip', async () => {
    configureLogging({ level: 'warn' });
    network = await startInProcessNetwork();
    const nodes = [
      await network.addNode({ node: true, archiver: true, sequencer: true, proverNode: false }),
      await network.addNode({ node: true, archiver: true, sequencer: false, proverNode: false }),
    ];
    const pruned = nodes.map(() => [] as ArchiverEvent[]);
    nodes.forEach((n, i) => n.archiver.subscribe(e => e.type === 'chain-pruned' && pruned[i]!.push(e)));

    await until('3 blocks on both nodes', () => nodes.every(n => n.archiver.store.getLatestBlockNumber() >= 3n));
    const before = nodes[0]!.archiver.store.getBlockHash(1n);

    // Jump L1 past the proof window of epoch 0: (epoch + window) slots of 8 s.
    await network.rpc('evm_increaseTime', [(8 + 16) * 8]);

    await until('both nodes to unwind', () => pruned.every(p => p.length > 0));
    for (const p of pruned) expect(p[0]).toMatchObject({ type: 'chain-pruned', blockNumber: 0n, reason: 'l2-prune' });
    const rollup = network.net.deployment.addresses.rollup;
    expect(
      await network.l1.readContract({ address: rollup, abi: RollupAbi, functionName: 'getProvenBlockNumber' }),
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
