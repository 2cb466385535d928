import { frToHex, type Fr } from '../../types/index.js';
import { WorldStateError } from '../../world-state/errors.js';
import type { WorldStateFork } from '../../world-state/types.js';
import type { TxExecutionState } from '../tx/index.js';

/**
 * The state changes of the block being built, kept in memory over its fork: the txs executed so far read their
 * predecessors' nullifiers and public data writes from here, and `flush` inserts everything into the fork's trees
 * once per block, one batch per tree. The trees end up exactly as if each tx had been applied to the fork in turn:
 * nullifiers and note hashes go in in the same order, and a public data slot written several times is inserted once,
 * at its first write's position, with its last value (an indexed tree's leaves depend only on which key was inserted
 * first and on the final values, and no root is read between txs). Reads of the fork are cached: the same balance
 * slots (fee payer, fee recipient) are read by most txs of a block.
 */
export class BlockScratch implements TxExecutionState {
  private readonly nullifiers: Fr[] = [];
  private readonly nullifierSet = new Set<Fr>();
  private readonly noteHashes: Fr[] = [];
  // Slot → latest value, in first-write order (a Map iterates in insertion order).
  private readonly writes = new Map<Fr, Fr>();
  private readonly forkReads = new Map<Fr, Fr>();
  private readonly forkNullifiers = new Map<Fr, boolean>();
  private flushed = false;

  constructor(private readonly fork: WorldStateFork) {}

  hasNullifier(nullifier: Fr): boolean {
    if (this.nullifierSet.has(nullifier)) return true;
    return this.forkHasNullifier(nullifier);
  }

  readPublicData(slot: Fr): Fr {
    const written = this.writes.get(slot);
    if (written !== undefined) return written;
    let value = this.forkReads.get(slot);
    if (value === undefined) {
      value = this.fork.readPublicData(slot);
      this.forkReads.set(slot, value);
    }
    return value;
  }

  /** L1→L2 message leaves: appended to the fork before any tx runs, so read from it. */
  getL1ToL2MessageLeaf(index: bigint): Fr {
    return this.fork.getL1ToL2MessageLeaf(index);
  }

  /** Records nullifiers in order; all or none (`DUPLICATE_NULLIFIER` when one is present or repeated), as the fork. */
  insertNullifiers(nullifiers: readonly Fr[]): void {
    this.assertOpen();
    const seen = new Set<Fr>();
    for (const nullifier of nullifiers) {
      if (seen.has(nullifier) || this.hasNullifier(nullifier)) {
        const msg = `Nullifier ${frToHex(nullifier)} is already in the nullifier tree`;
        throw new WorldStateError('DUPLICATE_NULLIFIER', msg, { nullifier: frToHex(nullifier) });
      }
      seen.add(nullifier);
    }
    for (const nullifier of nullifiers) {
      this.nullifiers.push(nullifier);
      this.nullifierSet.add(nullifier);
    }
  }

  appendNoteHashes(leaves: readonly Fr[]): void {
    this.assertOpen();
    this.noteHashes.push(...leaves);
  }

  writePublicData(slot: Fr, value: Fr): void {
    this.assertOpen();
    this.writes.set(slot, value);
  }

  /** How many leaves `flush` inserts, per tree (for the builder's figures). */
  counts(): { nullifiers: number; noteHashes: number; publicDataWrites: number } {
    return {
      nullifiers: this.nullifiers.length,
      noteHashes: this.noteHashes.length,
      publicDataWrites: this.writes.size,
    };
  }

  /** Inserts the block's changes into the fork, one batch per tree; once (the scratch is closed after). */
  flush(): void {
    this.assertOpen();
    this.flushed = true;
    if (this.nullifiers.length > 0) this.fork.insertNullifiers(this.nullifiers);
    if (this.noteHashes.length > 0) this.fork.appendNoteHashes(this.noteHashes);
    for (const [slot, value] of this.writes) this.fork.writePublicData(slot, value);
  }

  private forkHasNullifier(nullifier: Fr): boolean {
    let present = this.forkNullifiers.get(nullifier);
    if (present === undefined) {
      present = this.fork.hasNullifier(nullifier);
      this.forkNullifiers.set(nullifier, present);
    }
    return present;
  }

  private assertOpen(): void {
    if (this.flushed) throw new WorldStateError('FORK_CLOSED', 'This block scratch was already flushed', {});
  }
}
