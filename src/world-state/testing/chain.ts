import type { KvStore } from '../../kv/index.js';
import type { Fr } from '../../types/fr.js';
import type { L2Block } from '../../types/l2-block.js';
import { TestRandom } from '../../types/testing/random.js';
import { createWorldState, type LmdbWorldState } from '../world-state.js';
import { buildTestBlock, FreshEffects } from './blocks.js';

/** A block with the L1→L2 messages it consumed. */
export interface ChainBlock {
  block: L2Block;
  messages: Fr[];
}

/** A world state and the blocks a test sequencer built and committed on it. */
export interface TestChain {
  worldState: LmdbWorldState;
  blocks: ChainBlock[];
  fresh: FreshEffects;
  /** Builds, commits and records one more block (random body of 0..3 txs and 0..16 messages unless given). */
  next(txs?: number, messages?: number): ChainBlock;
}

/** Opens a world state on `store` and returns a builder of random valid blocks on it. For tests. */
export function testChain(store: KvStore, seed: number, blockHistory = 64): TestChain {
  const rng = new TestRandom(seed);
  const fresh = new FreshEffects(rng);
  const worldState = createWorldState({ store, blockHistory });
  const blocks: ChainBlock[] = [];
  const next = (txs = rng.range(0, 3), messages = rng.range(0, 16)) => {
    const msgs = fresh.messages(messages);
    const { block, fork } = buildTestBlock(worldState, fresh.effects(txs), msgs);
    fork.commitSync(block.header.globalVariables.blockNumber);
    const built = { block, messages: msgs };
    blocks.push(built);
    return built;
  };
  return { worldState, blocks, fresh, next };
}
