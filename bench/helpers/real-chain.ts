// Publishes L2 blocks whose header state and archive come from a real (LMDB) world state, so that a syncing node
// applies them to its own world state and checks every root, as a node syncing a real chain does.
import { openKvStore, type KvStore } from '../../src/kv/index.js';
import { TestRandom } from '../../src/types/testing/random.js';
import { encodeBlockBody } from '../../src/types/l2-block.js';
import type { TxEffect } from '../../src/types/tx-effect.js';
import { applyBlockBody } from '../../src/world-state/prepare-block.js';
import { FreshEffects } from '../../src/world-state/testing/blocks.js';
import { createWorldState, type LmdbWorldState } from '../../src/world-state/world-state.js';
import { L1BlockPublisher } from '../../test/helpers/l1-blocks.js';
import type { TestL1 } from '../../test/helpers/l1.js';

/** One published block, as far as a bench needs it. */
export interface PublishedBlockInfo {
  blobs: Uint8Array[];
  bodyBytes: number;
  txs: number;
}

/** A sequencer stand-in: a world state the published blocks are built on, and the L1 publisher. */
export class RealChainPublisher {
  readonly publisher: L1BlockPublisher;
  readonly fresh: FreshEffects;

  private constructor(
    l1: TestL1,
    private readonly kv: KvStore,
    private readonly worldState: LmdbWorldState,
    seed: number,
  ) {
    this.publisher = new L1BlockPublisher(l1, { seed });
    this.fresh = new FreshEffects(new TestRandom(seed + 1));
  }

  static async create(l1: TestL1, seed = 7): Promise<RealChainPublisher> {
    const kv = await openKvStore({ name: 'bench-producer' });
    return new RealChainPublisher(l1, kv, createWorldState({ store: kv, blockHistory: 64 }), seed);
  }

  /** Builds `body` on the world state, publishes it with the resulting state and archive, and commits it. */
  async publish(body: TxEffect[]): Promise<PublishedBlockInfo> {
    const fork = this.worldState.fork();
    try {
      // The Inbox leaves of the block are only known from L1: prepare once to read them, then apply them.
      const probe = await this.publisher.prepare({ body });
      applyBlockBody(fork, probe.l1ToL2Messages, body);
      const draft = { ...probe, header: { ...probe.header, state: fork.getStateReference() } };
      fork.appendArchive(draft.header);
      await this.publisher.send(draft, { archive: fork.getArchiveSnapshot().root });
      fork.commitSync(draft.header.globalVariables.blockNumber);
      return { blobs: draft.blobs, bodyBytes: encodeBlockBody(body).length, txs: body.length };
    } catch (err) {
      fork.discard();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.kv.close();
  }
}
