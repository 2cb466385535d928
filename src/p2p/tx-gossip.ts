import type { TxRejection, TxRejectionCode } from '../protocol/tx/index.js';
import { decodeTx, type Fr, type Tx } from '../types/index.js';
import type { TopicValidator } from './gossip.js';

/** What the p2p layer needs from the tx pool. */
export interface P2PTxPool {
  /** Validates and stores a tx (`TxPool.add`). */
  add(tx: Tx): Promise<{ accepted: true } | { accepted: false; rejection: TxRejection }>;
  /** A known tx by hash, for req/resp. */
  getTxByHash(hash: Fr): Tx | undefined;
}

// Refusals that may be honest: the tx was valid for the sender, or we already have it.
const STALE: ReadonlySet<TxRejectionCode> = new Set<TxRejectionCode>([
  'EXPIRED',
  'FEE_TOO_LOW',
  'DUPLICATE_NULLIFIER',
  'INSUFFICIENT_FEE_JUICE',
  'BALANCE_OVERFLOW',
  'BLOCK_FULL',
  'INVALID_CLAIM',
]);
const QUIET: ReadonlySet<TxRejectionCode> = new Set<TxRejectionCode>(['ALREADY_KNOWN', 'POOL_FULL']);

/**
 * The tx topic's validator: the bytes must decode as a `Tx` (else `INVALID_ENCODING`) and pass the pool's checks
 * (`TxPool.add`, which stores it). Protocol breaches (signature, chain, version, limits) reject with
 * `INVALID_MESSAGE`; state-dependent refusals reject lightly with `STALE_MESSAGE`; a known tx or a full pool is
 * ignored. Only accepted txs are forwarded.
 */
export function txTopicValidator(pool: P2PTxPool): TopicValidator {
  return async data => {
    let tx: Tx;
    try {
      tx = decodeTx(data);
    } catch (err) {
      return { result: 'reject', code: 'INVALID_ENCODING', reason: err instanceof Error ? err.message : String(err) };
    }
    const added = await pool.add(tx);
    if (added.accepted) return { result: 'accept' };
    const { code, reason } = added.rejection;
    if (QUIET.has(code)) return { result: 'ignore', reason };
    return {
      result: 'reject',
      code: STALE.has(code) ? 'STALE_MESSAGE' : 'INVALID_MESSAGE',
      reason: `${code}: ${reason}`,
    };
  };
}
