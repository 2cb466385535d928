import { afterEach, describe, expect, it } from 'vitest';

import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** The modules of `aztec start --local-network` (one validator). */
const LOCAL = { node: true, archiver: true, sequencer: true, proverNode: true } as const;

/**
 * `aztec start --local-network` used to lose slot 0 on every start (its node's first proposal landed in slot 1's
 * L1 time). Its network and node as the command starts them, three times over: block 1 is in slot 0 each time,
 * read from the block's header, not from timing.
 */
describe('the local network’s first slot', () => {
  let network: InProcessNetwork | undefined;
  afterEach(async () => {
    await network?.stop();
    network = undefined;
  });

  for (const start of [1, 2, 3]) {
    it(`has block 1 in slot 0 (start ${start})`, async () => {
      network = await startInProcessNetwork();
      const node = await network.addNode(LOCAL);
      const store = node.archiver.store;
      await until('block 1', () => store.getLatestBlockNumber() >= 1n);
      expect(store.getBlock(1n)?.header.globalVariables.slotNumber).toBe(0n);
    }, 120_000);
  }
});
