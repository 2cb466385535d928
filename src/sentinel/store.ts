import type { Address } from 'viem';

import type { KvMap, KvStore } from '../kv/index.js';
import type { DutyRecord, SlotDuties, StoredDuty } from './types.js';

type DutyKey = [number, string];

/**
 * The sentinel's LMDB maps: each validator's duty per settled slot, keyed `[slot, validator]` so the oldest slots
 * drop off with one range delete, and the last settled slot. A slot's duties and the cursor commit together, so a
 * restart resumes after the last slot stored, never half-way through one.
 */
export class SentinelStore {
  private readonly duties: KvMap<DutyKey, DutyRecord>;
  private readonly meta: KvMap<string, number>;

  constructor(
    private readonly kv: KvStore,
    /** How many slots of duties are kept (the history window). */
    readonly historySlots: number,
  ) {
    this.duties = kv.openMap<DutyRecord, DutyKey>('sentinel_duties');
    this.meta = kv.openMap<number, string>('sentinel_meta');
  }

  /** Stores a settled slot's duties, moves the cursor to it and drops slots that fell out of the window. */
  recordSlot(slot: bigint, duties: SlotDuties): void {
    const s = Number(slot);
    this.kv.transactionSync(() => {
      for (const [validator, record] of duties) this.duties.set([s, validator.toLowerCase()], { ...record });
      this.meta.set('lastProcessedSlot', s);
      if (this.meta.get('firstSlot') === undefined) this.meta.set('firstSlot', s);
      const keepFrom = s - this.historySlots + 1;
      for (const key of [...this.duties.keys({ end: [keepFrom, ''] })]) this.duties.delete(key);
      const first = this.meta.get('firstSlot')!;
      if (first < keepFrom) this.meta.set('firstSlot', keepFrom);
    });
  }

  /** The last slot settled, or undefined before the first. */
  getLastProcessedSlot(): bigint | undefined {
    const s = this.meta.get('lastProcessedSlot');
    return s === undefined ? undefined : BigInt(s);
  }

  /** The oldest slot still covered (the first settled, or the window's start once slots were dropped). */
  getFirstSlot(): bigint | undefined {
    const s = this.meta.get('firstSlot');
    return s === undefined ? undefined : BigInt(s);
  }

  /** Every duty of slots `from..to` (inclusive), by slot then validator; only `validator`'s when given. */
  *dutiesIn(from: bigint, to: bigint, validator?: Address): Iterable<StoredDuty> {
    if (to < from) return;
    const who = validator?.toLowerCase();
    if (who !== undefined) {
      for (let s = Number(from); s <= Number(to); s++) {
        const record = this.duties.get([s, who]);
        if (record) yield { ...record, slot: BigInt(s), validator: who as Address };
      }
      return;
    }
    for (const { key, value } of this.duties.entries({ start: [Number(from), ''], end: [Number(to) + 1, ''] })) {
      yield { ...value, slot: BigInt(key[0]), validator: key[1] as Address };
    }
  }
}
