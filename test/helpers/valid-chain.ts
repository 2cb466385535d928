import { openKvStore, type KvStore } from '../../src/kv/index.js';
import { createWorldState, type LmdbWorldState } from '../../src/world-state/index.js';
import { TestRandom } from '../../src/types/testing/index.js';
import { applyBlockBody } from '../../src/world-state/prepare-block.js';
import { FreshEffects } from '../../src/world-state/testing/blocks.js';
import { L1BlockPublisher, type PublishedTestBlock } from './l1-blocks.js';
import type { TestL1 } from './l1.js';

/**
 * Publishes blocks whose state is real: each is built on a world state of its own (as a sequencer would: messages
 * and body applied, the header's state and the archive taken from the trees) and proposed to the Rollup with its
 * body in blobs, L1 time warped to its slot. A node that syncs them applies them to its own trees and agrees.
 */
export class ValidChainPublisher {
  readonly publisher: L1BlockPublisher;
  private readonly fresh = new FreshEffects(new TestRandom(12));

  private constructor(
    l1: TestL1,
    private readonly store: KvStore,
    private readonly worldState: LmdbWorldState,
  ) {
    this.publisher = new L1BlockPublisher(l1, { seed: 11 });
  }

  static async start(l1: TestL1): Promise<ValidChainPublisher> {
    const store = await openKvStore({ name: 'valid-chain' });
    return new ValidChainPublisher(l1, store, createWorldState({ store, blockHistory: 64 }));
  }

  /** Publishes one block of `txs` random tx effects (fresh nullifiers, so the chain stays valid). */
  async publish(txs = 2): Promise<PublishedTestBlock> {
    const draft = await this.publisher.prepare({ body: this.fresh.effects(txs) });
    const fork = this.worldState.fork();
    try {
      applyBlockBody(fork, draft.l1ToL2Messages, draft.body);
      draft.header.state = fork.getStateReference();
      fork.appendArchive(draft.header);
      const sent = await this.publisher.send(draft, { archive: fork.getArchiveSnapshot().root });
      this.store.transactionSync(() => fork.commitSync(draft.header.globalVariables.blockNumber));
      return sent;
    } catch (err) {
      fork.discard();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
