import { afterAll, describe, expect, it } from 'vitest';

import type { ArchiverEvent } from '../../src/archiver/types.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { frToHex } from '../../src/types/fr.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** An L1 reorg under a synced node: blocks whose L1 transactions are gone are removed, and the new ones fetched. */
describe('L1 reorg', () => {
  let network: InProcessNetwork | undefined;
  afterAll(async () => {
    await network?.stop();
  });

  it('unwinds a follower to the surviving blocks and ends on the new chain, equal to L1', async () => {
    configureLogging({ level: 'warn' });
    network = await startInProcessNetwork();
    await network.addNode({ node: true, archiver: true, sequencer: true, proverNode: false });
    const follower = await network.addNode({ node: true, archiver: true, sequencer: false, proverNode: false });
    const events: ArchiverEvent[] = [];
    follower.archiver.subscribe(e => events.push(e));
    const store = follower.archiver.store;

    await until('block 1 on the follower', () => store.getLatestBlockNumber() >= 1n);
    const snapshot = await network.rpc('evm_snapshot');
    const kept = store.getLatestBlockNumber();
    await until('two more blocks on the follower', () => store.getLatestBlockNumber() >= kept + 2n);
    const gone = store.getBlockHash(kept + 1n);
    expect(await network.rpc('evm_revert', [snapshot])).toBe(true);

    await until('the follower to see the reorg', () =>
      events.some(e => e.type === 'chain-pruned' && e.reason === 'l1-reorg'),
    );
    // The sequencer re-proposes on the surviving chain; the follower ends on what L1 holds.
    const rollup = network.net.deployment.addresses.rollup;
    await until('a new block after the reorg', async () => {
      const n = store.getLatestBlockNumber();
      if (n < kept + 1n) return false;
      const onL1 = await network!.l1.readContract({
        address: rollup,
        abi: RollupAbi,
        functionName: 'archiveAt',
        args: [n],
      });
      return frToHex(store.getArchiveRoot(n)!) === onL1;
    });
    expect(store.getBlockHash(kept + 1n)).not.toBe(gone);
  }, 180_000);
});
