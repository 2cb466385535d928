import { openKvStore, type KvStore } from '../../kv/index.js';
import { feeJuiceBalanceSlot, type Fr } from '../../types/index.js';
import { createWorldState, type LmdbWorldState } from '../../world-state/index.js';
import { buildBlock } from '../block/index.js';
import { TEST_CHAIN_ID, TEST_PORTAL, testGlobals } from './fixtures.js';

/** A real (LMDB) world state on a temporary store. */
export interface TestWorld {
  store: KvStore;
  worldState: LmdbWorldState;
}

/** Opens a world state on a fresh temporary store (close `store` when done). */
export async function openTestWorld(): Promise<TestWorld> {
  const store = await openKvStore({ name: 'sequencer-test' });
  return { store, worldState: createWorldState({ store, blockHistory: 64 }) };
}

/**
 * Commits block `n + 1` on `world` with `messages` as its L1→L2 messages and no txs, after writing `balances`
 * straight into the fork (a test shortcut for funding accounts: the block's body does not carry those writes).
 */
export async function commitFundingBlock(
  world: TestWorld,
  balances: readonly (readonly [Fr, bigint])[] = [],
  messages: readonly Fr[] = [],
): Promise<void> {
  const fork = world.worldState.fork();
  for (const [account, balance] of balances) fork.writePublicData(feeJuiceBalanceSlot(account), balance as Fr);
  const blockNumber = fork.baseBlockNumber + 1n;
  await buildBlock({
    fork,
    txs: [],
    globals: testGlobals(blockNumber),
    l1ToL2Messages: messages,
    l1ChainId: TEST_CHAIN_ID,
    feeJuicePortal: TEST_PORTAL,
  });
  world.store.transactionSync(() => fork.commitSync(blockNumber));
}
