import { createLogger } from '../foundation/log/index.js';
import { counter, gauge, Registry, type Counter, type MetricsRegistry } from '../foundation/metrics/index.js';
import type { KvMap, KvStore } from '../kv/index.js';
import { txRejection, type TxRejection } from '../protocol/tx/index.js';
import {
  decodeTx,
  encodeTx,
  frFromHex,
  frToHex,
  txHash,
  type Fr,
  type GasFees,
  type L2Block,
  type Tx,
} from '../types/index.js';
import type { WorldState } from '../world-state/types.js';
import {
  checkTxAgainstState,
  checkTxForNextBlock,
  claimNullifiersOf,
  type PoolValidationContext,
} from '../protocol/tx/index.js';

/** Default bound on pending txs (`P2P_MAX_PENDING_TX_COUNT`). */
export const DEFAULT_MAX_PENDING_TXS = 10_000;
/** Default bound on the bytes of pending txs (`P2P_MAX_TX_POOL_SIZE`). */
export const DEFAULT_MAX_PENDING_BYTES = 100_000_000;
/**
 * How much more per L2 gas a tx must pay to replace pending txs it conflicts with (a shared nullifier), in percent:
 * as geth's price bump, so that a replacement is never free spam.
 */
export const REPLACEMENT_BUMP_PERCENT = 10n;

/** Dependencies and settings of a `TxPool`. */
export interface TxPoolOptions extends PoolValidationContext {
  /** Where the pool persists (maps named `tx-pool/*`). */
  store: KvStore;
  /** The latest world state: txs are checked against it. */
  worldState: WorldState;
  /** Most pending txs (default 10 000): beyond it a tx paying more evicts the lowest-paying ones. */
  maxPendingTxs?: number;
  /** Most bytes of pending txs (default 100 MB), as encoded: beyond it, the same. */
  maxPendingBytes?: number;
  /** Where the pool's metrics go (pending txs and bytes, txs dropped by cause); default a private registry. */
  metrics?: MetricsRegistry;
}

/** Why the pool let go of a pending tx, as the `aztec_tx_pool_dropped_total` counter labels it. */
type DropCause = 'replaced' | 'evicted' | 'mined_nullifier' | 'expired' | 'other';

/** Outcome of `TxPool.add`. */
export type AddTxResult = { accepted: true; txHash: Fr } | { accepted: false; rejection: TxRejection };

/** Where a tx stands, as far as this node knows. */
export type TxStatus = 'pending' | { status: 'mined'; blockNumber: bigint } | { status: 'dropped'; reason: string };

type StoredStatus =
  | { s: 'pending'; seq: number; priority: string; expiry: string; nullifiers: string[]; size?: number }
  | { s: 'mined'; block: string }
  | { s: 'dropped'; reason: string };

const MAX_U128 = (1n << 128n) - 1n;

/** A pending tx as the pool's bounds look at it. */
interface Pending {
  key: string;
  rec: PendingRecord;
  fees: GasFees;
}

/** Why `tx` may not replace the pending txs it conflicts with, or undefined when it may (or there are none). */
function replacementProblem(tx: Tx, conflicting: readonly Pending[]): string | undefined {
  const offered = tx.gasSettings.maxFeesPerGas;
  for (const old of conflicting) {
    const needed = (old.fees.feePerL2Gas * (100n + REPLACEMENT_BUMP_PERCENT) + 99n) / 100n;
    if (offered.feePerL2Gas < needed || offered.feePerDaGas < old.fees.feePerDaGas) {
      return (
        `it shares a nullifier with pending tx ${old.key}; to replace it, pay at least ${needed} per L2 gas ` +
        `(${REPLACEMENT_BUMP_PERCENT}% more than its ${old.fees.feePerL2Gas}; this tx offers ${offered.feePerL2Gas}) ` +
        `and at least its ${old.fees.feePerDaGas} per DA gas`
      );
    }
  }
  return undefined;
}
const u64Key = (n: bigint) => n.toString(16).padStart(16, '0');
const log = createLogger('tx-pool');

type PendingRecord = Extract<StoredStatus, { s: 'pending' }>;

/**
 * The pending txs of this node, persisted in the KvStore: validated on `add` against the latest world state,
 * served in priority order (highest `maxFeesPerGas.feePerL2Gas` first, then arrival), with receipts (pending, mined,
 * dropped). Mined txs keep their body so an unwind can put them back (`onUnwind`) until `pruneMinedBefore`.
 *
 * A tx whose max fees per gas are below the current base fees is kept: it waits, pending, until fees fall (the block
 * builder leaves it out of blocks whose base fees it does not cover, docs/fees.md).
 *
 * Bounded by count and bytes: when full, a new tx evicts the lowest-paying pending txs if it pays more per L2 gas
 * than each of them (they are dropped with a reason naming it), else it is refused with `POOL_FULL` and the fee that
 * would get it in. A tx that shares a nullifier with pending txs replaces them if it pays `REPLACEMENT_BUMP_PERCENT`
 * more per L2 gas than each (and no less per DA gas); else it is refused with `DUPLICATE_NULLIFIER` and that fee.
 */
export class TxPool {
  private readonly txs: KvMap<string, Buffer>;
  private readonly status: KvMap<string, StoredStatus>;
  private readonly byPriority: KvMap<[string, number], string>;
  private readonly byNullifier: KvMap<string, string>;
  private readonly byExpiry: KvMap<[string, string], number>;
  private readonly byMinedBlock: KvMap<[string, string], number>;
  private readonly meta: KvMap<string, number>;
  private readonly maxPending: number;
  private readonly maxBytes: number;
  /** Bytes of the pending txs (counted at open, then kept up to date). */
  private pendingBytes = 0;
  private readonly dropped: Counter<'cause'>;

  constructor(private readonly opts: TxPoolOptions) {
    const s = opts.store;
    this.txs = s.openMap<Buffer, string>('tx-pool/txs', { values: 'binary' });
    this.status = s.openMap<StoredStatus, string>('tx-pool/status');
    this.byPriority = s.openMap<string, [string, number]>('tx-pool/by-priority');
    this.byNullifier = s.openMap<string, string>('tx-pool/by-nullifier');
    this.byExpiry = s.openMap<number, [string, string]>('tx-pool/by-expiry');
    this.byMinedBlock = s.openMap<number, [string, string]>('tx-pool/by-mined-block');
    this.meta = s.openMap<number, string>('tx-pool/meta');
    this.maxPending = opts.maxPendingTxs ?? DEFAULT_MAX_PENDING_TXS;
    this.maxBytes = opts.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    for (const { value: key } of this.byPriority.entries()) this.pendingBytes += this.txs.get(key)?.length ?? 0;
    const registry = opts.metrics ?? new Registry();
    const pendingTxs = () => this.getPendingCount();
    const pendingBytes = () => this.pendingBytes;
    gauge(registry, {
      name: 'aztec_tx_pool_pending_txs',
      help: 'Pending txs in the tx pool',
      collect() {
        this.set(pendingTxs());
      },
    });
    gauge(registry, {
      name: 'aztec_tx_pool_pending_bytes',
      help: 'Bytes of the pending txs in the tx pool, as encoded',
      collect() {
        this.set(pendingBytes());
      },
    });
    this.dropped = counter(registry, {
      name: 'aztec_tx_pool_dropped_total',
      help: 'Pending txs the tx pool let go of, by cause',
      labelNames: ['cause'],
    });
  }

  /** Bytes of the pending txs, as encoded. */
  getPendingBytes(): number {
    return this.pendingBytes;
  }

  private ctx(): PoolValidationContext {
    const { l1ChainId, version, feeJuicePortal } = this.opts;
    return { l1ChainId, version, feeJuicePortal };
  }

  /** Validates `tx` (as the sequencer would for the next block, plus pool conflicts) and stores it as pending. */
  async add(tx: Tx): Promise<AddTxResult> {
    const ws = this.opts.worldState;
    const ctx = this.ctx();
    const invalid = await checkTxForNextBlock(tx, ws.getBlockNumber() + 1n, ctx);
    if (invalid) return { accepted: false, rejection: invalid };
    const hash = txHash(tx);
    const key = frToHex(hash);
    const refuse = (code: TxRejection['code'], reason: string): AddTxResult => ({
      accepted: false,
      rejection: txRejection(code, reason),
    });
    return this.opts.store.transactionSync(() => {
      const known = this.status.get(key);
      if (known?.s === 'pending') return refuse('ALREADY_KNOWN', `tx ${key} is already in the pool`);
      if (known?.s === 'mined')
        return refuse('ALREADY_KNOWN', `tx ${key} was already mined in block ${BigInt(`0x${known.block}`)}`);
      const state = checkTxAgainstState(tx, ws, ctx);
      if ('rejection' in state) return { accepted: false, rejection: state.rejection };
      const replaced = this.conflicts(state.nullifiers);
      const bump = replacementProblem(tx, replaced);
      if (bump) return refuse('DUPLICATE_NULLIFIER', bump);
      const size = encodeTx(tx).length;
      const evicted = this.evictionsFor(tx, size, replaced);
      if ('full' in evicted) return refuse('POOL_FULL', evicted.full);
      for (const old of replaced)
        this.dropPending(old.key, old.rec, `replaced by tx ${key}, which pays more`, 'replaced');
      for (const old of evicted.txs) {
        this.dropPending(old.key, old.rec, `evicted from the full tx pool by tx ${key}, which pays more`, 'evicted');
      }
      this.putPending(tx, key, state.nullifiers);
      if (replaced.length + evicted.txs.length > 0) {
        log.debug('Added tx', {
          txHash: key,
          replaced: replaced.map(r => r.key),
          evicted: evicted.txs.map(r => r.key),
        });
      } else log.debug('Added tx', { txHash: key });
      return { accepted: true, txHash: hash };
    });
  }

  /** The pending txs that reserve one of `nullifiers`, each once. */
  private conflicts(nullifiers: readonly Fr[]): Pending[] {
    const keys = new Set<string>();
    for (const n of nullifiers) {
      const owner = this.byNullifier.get(frToHex(n));
      if (owner !== undefined) keys.add(owner);
    }
    return [...keys].flatMap(key => {
      const rec = this.status.get(key);
      return rec?.s === 'pending' ? [{ key, rec, fees: this.feesOf(key) }] : [];
    });
  }

  private feesOf(key: string): GasFees {
    const bytes = this.txs.get(key);
    return bytes ? decodeTx(bytes).gasSettings.maxFeesPerGas : { feePerDaGas: 0n, feePerL2Gas: 0n };
  }

  /**
   * The lowest-paying pending txs `tx` must evict to fit (`size` bytes, with `leaving` already on their way out),
   * or why it cannot: the lowest-paying one pays as much as it per L2 gas.
   */
  private evictionsFor(tx: Tx, size: number, leaving: readonly Pending[]): { txs: Pending[] } | { full: string } {
    const gone = new Set(leaving.map(l => l.key));
    let count = this.getPendingCount() - gone.size + 1;
    let bytes = this.pendingBytes - leaving.reduce((sum, l) => sum + (l.rec.size ?? 0), 0) + size;
    const out: Pending[] = [];
    const fee = tx.gasSettings.maxFeesPerGas.feePerL2Gas;
    for (const { value: key } of this.byPriority.entries({ reverse: true })) {
      if (count <= this.maxPending && bytes <= this.maxBytes) return { txs: out };
      if (gone.has(key)) continue;
      const rec = this.status.get(key);
      if (rec?.s !== 'pending') continue;
      const lowest = MAX_U128 - BigInt(`0x${rec.priority}`);
      if (lowest >= fee) {
        const bound =
          count > this.maxPending ? `${this.maxPending} pending txs` : `${this.maxBytes} bytes of pending txs`;
        return {
          full:
            `the tx pool is full (${bound}) and its lowest-paying tx pays ${lowest} per L2 gas; ` +
            `pay more than that (this tx offers ${fee}) or try again later`,
        };
      }
      out.push({ key, rec, fees: this.feesOf(key) });
      count -= 1;
      bytes -= rec.size ?? this.txs.get(key)?.length ?? 0;
    }
    if (count <= this.maxPending && bytes <= this.maxBytes) return { txs: out };
    return { full: `the tx is larger than the tx pool (${this.maxBytes} bytes)` };
  }

  /** Removes a pending tx and records it as dropped with `reason`. */
  private dropPending(key: string, rec: PendingRecord, reason: string, cause: DropCause): void {
    this.removePending(key, rec);
    this.txs.delete(key);
    this.status.set(key, { s: 'dropped', reason });
    this.dropped.inc({ cause });
    log.debug('Dropped tx', { txHash: key, reason });
  }

  private putPending(tx: Tx, key: string, nullifiers: readonly Fr[]): void {
    const seq = this.meta.get('seq') ?? 0;
    this.meta.set('seq', seq + 1);
    const priority = (MAX_U128 - tx.gasSettings.maxFeesPerGas.feePerL2Gas).toString(16).padStart(32, '0');
    const expiry = u64Key(tx.expiryBlockNumber);
    const hexes = nullifiers.map(frToHex);
    const bytes = encodeTx(tx);
    this.txs.set(key, bytes);
    this.pendingBytes += bytes.length;
    this.status.set(key, { s: 'pending', seq, priority, expiry, nullifiers: hexes, size: bytes.length });
    this.byPriority.set([priority, seq], key);
    for (const n of hexes) this.byNullifier.set(n, key);
    this.byExpiry.set([expiry, key], 1);
  }

  private removePending(key: string, rec: PendingRecord): void {
    this.pendingBytes -= rec.size ?? this.txs.get(key)?.length ?? 0;
    this.byPriority.delete([rec.priority, rec.seq]);
    for (const n of rec.nullifiers) if (this.byNullifier.get(n) === key) this.byNullifier.delete(n);
    this.byExpiry.delete([rec.expiry, key]);
  }

  /** Pending txs in priority order: highest `feePerL2Gas` first, then earliest arrival. */
  *iteratePendingTxs(): Generator<Tx> {
    for (const { value: key } of this.byPriority.entries()) {
      const bytes = this.txs.get(key);
      if (bytes) yield decodeTx(bytes);
    }
  }

  /** Up to `limit` pending txs in priority order. */
  getPendingTxs(limit?: number): Tx[] {
    const out: Tx[] = [];
    for (const tx of this.iteratePendingTxs()) {
      if (limit !== undefined && out.length >= limit) break;
      out.push(tx);
    }
    return out;
  }

  /** A pending or mined tx by hash. */
  getTxByHash(hash: Fr): Tx | undefined {
    const bytes = this.txs.get(frToHex(hash));
    return bytes ? decodeTx(bytes) : undefined;
  }

  /** Number of pending txs. */
  getPendingCount(): number {
    return this.byPriority.count();
  }

  /** Receipt status of a tx; `undefined` when this node never saw it (or pruned it). */
  getTxStatus(hash: Fr): TxStatus | undefined {
    const rec = this.status.get(frToHex(hash));
    if (rec === undefined) return undefined;
    if (rec.s === 'pending') return 'pending';
    if (rec.s === 'mined') return { status: 'mined', blockNumber: BigInt(`0x${rec.block}`) };
    return { status: 'dropped', reason: rec.reason };
  }

  /** Records txs as mined in `blockNumber` (also txs this pool never held, for their receipts). */
  markMined(hashes: readonly Fr[], blockNumber: bigint): void {
    const block = u64Key(blockNumber);
    this.opts.store.transactionSync(() => {
      for (const key of hashes.map(frToHex)) {
        const rec = this.status.get(key);
        if (rec?.s === 'pending') this.removePending(key, rec);
        if (rec?.s === 'mined') this.byMinedBlock.delete([rec.block, key]);
        this.status.set(key, { s: 'mined', block });
        this.byMinedBlock.set([block, key], 1);
      }
    });
  }

  /** Drops a pending tx with a reason its sender can read; whether it was pending. */
  markDropped(hash: Fr, reason: string, cause: DropCause = 'other'): boolean {
    const key = frToHex(hash);
    return this.opts.store.transactionSync(() => {
      const rec = this.status.get(key);
      if (rec?.s !== 'pending') return false;
      this.dropPending(key, rec, reason, cause);
      return true;
    });
  }

  /**
   * A block was added to the chain: its txs become mined, pending txs that reuse one of its nullifiers and txs that
   * can no longer be included (expiry below the next block) are dropped. Returns the dropped hashes.
   */
  onBlockMined(block: L2Block): Fr[] {
    const blockNumber = block.header.globalVariables.blockNumber;
    return this.opts.store.transactionSync(() => {
      this.markMined(
        block.body.map(e => e.txHash),
        blockNumber,
      );
      const dropped: Fr[] = [];
      for (const effect of block.body) {
        for (const n of effect.nullifiers) {
          const owner = this.byNullifier.get(frToHex(n));
          if (owner === undefined) continue;
          const reason = `nullifier ${frToHex(n)} was emitted by tx ${frToHex(effect.txHash)} in block ${blockNumber}`;
          if (this.markDropped(frFromHex(owner), reason, 'mined_nullifier')) dropped.push(frFromHex(owner));
        }
      }
      return [...dropped, ...this.evictExpired(blockNumber + 1n)];
    });
  }

  /** Drops pending txs whose expiry is below `nextBlockNumber`; returns their hashes. */
  evictExpired(nextBlockNumber: bigint): Fr[] {
    const expired = [...this.byExpiry.keys({ end: [u64Key(nextBlockNumber)] as unknown as [string, string] })];
    return this.opts.store.transactionSync(() =>
      expired.flatMap(([expiry, key]) => {
        const reason = `expired: includable up to block ${BigInt(`0x${expiry}`)}, the next block is ${nextBlockNumber}`;
        return this.markDropped(frFromHex(key), reason, 'expired') ? [frFromHex(key)] : [];
      }),
    );
  }

  /**
   * Puts txs of pruned or unwound blocks back as pending (no state checks: the chain just fell back below them).
   * A pending tx whose nullifier one of them uses is dropped.
   */
  reinsert(txs: readonly Tx[]): void {
    const ctx = this.ctx();
    this.opts.store.transactionSync(() => {
      for (const tx of txs) {
        const key = frToHex(txHash(tx));
        const rec = this.status.get(key);
        if (rec?.s === 'pending') continue;
        if (rec?.s === 'mined') this.byMinedBlock.delete([rec.block, key]);
        const nullifiers = [...tx.nullifiers, ...claimNullifiersOf(tx, ctx)];
        for (const n of nullifiers) {
          const owner = this.byNullifier.get(frToHex(n));
          if (owner !== undefined && owner !== key) {
            this.markDropped(
              frFromHex(owner),
              `nullifier ${frToHex(n)} is used by tx ${key}, re-added after an unwind`,
              'replaced',
            );
          }
        }
        this.putPending(tx, key, nullifiers);
      }
    });
  }

  /** The chain unwound to `blockNumber`: txs mined above it are pending again (receipts without a body are removed). */
  onUnwind(blockNumber: bigint): Fr[] {
    const above = [...this.byMinedBlock.keys({ start: [u64Key(blockNumber + 1n)] as unknown as [string, string] })];
    return this.opts.store.transactionSync(() => {
      const txs: Tx[] = [];
      for (const [block, key] of above) {
        const bytes = this.txs.get(key);
        if (bytes) txs.push(decodeTx(bytes));
        else {
          this.status.delete(key);
          this.byMinedBlock.delete([block, key]);
        }
      }
      this.reinsert(txs);
      return txs.map(txHash);
    });
  }

  /** Forgets mined txs (bodies and receipts) of blocks below `blockNumber`; returns how many. */
  pruneMinedBefore(blockNumber: bigint): number {
    const old = [...this.byMinedBlock.keys({ end: [u64Key(blockNumber)] as unknown as [string, string] })];
    this.opts.store.transactionSync(() => {
      for (const [block, key] of old) {
        this.txs.delete(key);
        this.status.delete(key);
        this.byMinedBlock.delete([block, key]);
      }
    });
    return old.length;
  }
}
