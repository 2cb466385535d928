import type { Tx } from '../../types/index.js';
import { checkTxSignature, type TxRejection } from '../tx/index.js';

/**
 * Signature results of the txs a block builder drew, checked a batch at a time ahead of execution (with the native
 * secp256k1 binding ≈ 50 µs a tx; the checks of a batch run concurrently where recovery is asynchronous). `check`
 * answers from the batch and falls back to checking a tx it has not seen. Keyed by tx object, so a tx drawn twice is
 * checked once.
 */
export class SignatureBatch {
  private readonly results = new Map<Tx, TxRejection | undefined>();
  /** Time spent checking, in ms. */
  elapsedMs = 0;

  /** Checks the signatures of `txs` not checked yet. */
  async checkAll(txs: readonly Tx[]): Promise<void> {
    const start = performance.now();
    const todo = txs.filter(tx => !this.results.has(tx));
    const outcomes = await Promise.all(todo.map(tx => checkTxSignature(tx)));
    todo.forEach((tx, i) => this.results.set(tx, outcomes[i]));
    this.elapsedMs += performance.now() - start;
  }

  /** The signature check of `tx`: its batch result, or a check now. */
  readonly check = async (tx: Tx): Promise<TxRejection | undefined> => {
    if (this.results.has(tx)) return this.results.get(tx);
    await this.checkAll([tx]);
    return this.results.get(tx);
  };
}
