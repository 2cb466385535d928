import { asL2BlockNumber } from '../../foundation/types/branded.js';
import type { Fr, L2Block } from '../../types/index.js';
import { randomL2Block, TestRandom } from '../../types/testing/index.js';
import type { P2PChainSource } from '../service.js';

/** An in-memory chain of random blocks numbered 1..n, served by `block` and `status` req/resp. */
export class TestChain implements P2PChainSource {
  readonly blocks: L2Block[] = [];
  provenBlockNumber = 0n;
  private readonly rng: TestRandom;

  constructor(length = 0, seed = 1) {
    this.rng = new TestRandom(seed);
    this.grow(length);
  }

  /** Appends `count` random blocks (each with its own archive root and a tx effect or two). */
  grow(count: number): void {
    for (let i = 0; i < count; i++) {
      const block = randomL2Block(this.rng, 1 + (i % 2));
      const blockNumber = asL2BlockNumber(this.blocks.length + 1);
      block.header = { ...block.header, globalVariables: { ...block.header.globalVariables, blockNumber } };
      this.blocks.push(block);
    }
  }

  getLatestBlockNumber(): bigint {
    return BigInt(this.blocks.length);
  }
  getBlock(n: bigint): L2Block | undefined {
    return n >= 1n ? this.blocks[Number(n) - 1] : undefined;
  }
  getArchiveRoot(n: bigint): Fr | undefined {
    return this.getBlock(n)?.archive.root;
  }
  getProvenBlockNumber(): bigint {
    return this.provenBlockNumber;
  }
}
