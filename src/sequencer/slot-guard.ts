import type { Hex } from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import type { KvMap, KvStore } from '../kv/index.js';

/** Refusal to publish a second, different block for a slot. */
export class DoublePublishError extends NodeError {
  constructor(slot: bigint, published: string, attempted: string) {
    super(
      'DOUBLE_PUBLISH',
      `refusing to publish a second block for slot ${slot}: already published archive ${published}`,
      {
        slot,
        published,
        attempted,
      },
    );
  }
}

/**
 * Remembers, on disk, which block (archive root) this node published for each slot, so that it never publishes
 * two different blocks for one slot — across restarts too. The record is written before the L1 tx is sent.
 */
export class SlotGuard {
  private readonly map: KvMap<number, string>;

  constructor(private readonly store: KvStore) {
    this.map = store.openMap<string, number>('sequencer-published-slots', { values: 'string' });
  }

  /** Records `archive` for `slot`; throws `DoublePublishError` when another archive was recorded for it. */
  claim(slot: bigint, archive: Hex): void {
    this.store.transactionSync(() => {
      const existing = this.map.get(Number(slot));
      if (existing !== undefined && existing !== archive) throw new DoublePublishError(slot, existing, archive);
      this.map.set(Number(slot), archive);
    });
  }

  /** The archive published for a slot, if any. */
  published(slot: bigint): string | undefined {
    return this.map.get(Number(slot));
  }
}
