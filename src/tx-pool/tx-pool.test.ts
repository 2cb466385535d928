import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { asL2BlockNumber } from '../foundation/types/branded.js';
import { openKvStore } from '../kv/index.js';
import { buildBlock } from '../protocol/block/index.js';
import {
  ALICE,
  ALICE_KEY,
  BOB,
  BOB_KEY,
  commitFundingBlock,
  depositLeaf,
  freshFr,
  makeTx,
  openTestWorld,
  TEST_CHAIN_ID,
  TEST_PORTAL,
  TEST_VERSION,
  testGlobals,
  type TestWorld,
} from '../protocol/testing/index.js';
import { computeFee, encodeTx, frToHex, signTx, txHash, type Fr, type Tx } from '../types/index.js';
import { Registry } from '../foundation/metrics/index.js';
import { createWorldState } from '../world-state/index.js';
import { TxPool, type AddTxResult, type TxPoolOptions } from './tx-pool.js';

const secret = 9n as Fr;
const DEPOSIT = 10n ** 9n;
let world: TestWorld;
let pool: TxPool;

const newPool = (w: TestWorld, over: Partial<TxPoolOptions> = {}) =>
  new TxPool({
    store: w.store,
    worldState: w.worldState,
    l1ChainId: TEST_CHAIN_ID,
    version: TEST_VERSION,
    feeJuicePortal: TEST_PORTAL,
    ...over,
  });
const fee = (feePerL2Gas: bigint) => ({
  gasSettings: { gasLimits: { daGas: 1000, l2Gas: 100_000 }, maxFeesPerGas: { feePerDaGas: 10n, feePerL2Gas } },
});
const rejected = (r: AddTxResult) => (r.accepted ? undefined : r.rejection);
const claimTx = () =>
  makeTx(BOB_KEY, { actions: [{ type: 'claim', to: BOB, amount: DEPOSIT, secret, leafIndex: 0n }] });

/** Mines `txs` as block `n + 1` on the world state and tells the pool. */
async function mine(txs: Tx[]) {
  const fork = world.worldState.fork();
  const n = fork.baseBlockNumber + 1n;
  const built = await buildBlock({
    fork,
    txs,
    globals: testGlobals(n),
    l1ToL2Messages: [],
    l1ChainId: TEST_CHAIN_ID,
    feeJuicePortal: TEST_PORTAL,
  });
  expect(built.failed).toEqual([]);
  world.store.transactionSync(() => fork.commitSync(n));
  return pool.onBlockMined(built.block);
}

beforeEach(async () => {
  world = await openTestWorld();
  // Block 1: Alice funded; a deposit to Bob is its first L1→L2 message (global index 0).
  await commitFundingBlock(world, [[ALICE, 10n ** 12n]], [depositLeaf(BOB, DEPOSIT, secret, 0n)]);
  pool = newPool(world);
});
afterEach(() => world.store.close());

describe('TxPool', () => {
  it('accepts a valid tx and serves it back', async () => {
    const tx = await makeTx(ALICE_KEY);
    expect(await pool.add(tx)).toEqual({ accepted: true, txHash: txHash(tx) });
    expect(pool.getTxStatus(txHash(tx))).toBe('pending');
    expect(pool.getTxByHash(txHash(tx))).toEqual(tx);
    expect(pool.getPendingCount()).toBe(1);
    expect(pool.getTxStatus(freshFr())).toBeUndefined();
  });

  it('orders pending txs by fee per L2 gas, then arrival', async () => {
    const txs = await Promise.all([5n, 10n, 7n, 10n].map(f => makeTx(ALICE_KEY, fee(f))));
    for (const tx of txs) expect((await pool.add(tx)).accepted).toBe(true);
    expect(pool.getPendingTxs()).toEqual([txs[1], txs[3], txs[2], txs[0]]);
    expect(pool.getPendingTxs(2)).toEqual([txs[1], txs[3]]);
  });

  it('refuses duplicates and nullifier conflicts', async () => {
    const tx = await makeTx(ALICE_KEY);
    await pool.add(tx);
    expect(rejected(await pool.add(tx))).toEqual({
      code: 'ALREADY_KNOWN',
      reason: `tx 0x${txHash(tx).toString(16).padStart(64, '0')} is already in the pool`,
    });
    const clash = await makeTx(ALICE_KEY, { nullifiers: [freshFr(), tx.nullifiers[0]!] });
    expect(rejected(await pool.add(clash))).toMatchObject({
      code: 'DUPLICATE_NULLIFIER',
      reason: expect.stringContaining('it shares a nullifier with pending tx 0x') as string,
    });
    expect((await pool.add(await claimTx())).accepted).toBe(true);
    expect(rejected(await pool.add(await claimTx()))?.code).toBe('DUPLICATE_NULLIFIER');
  });

  it('refuses a nullifier already in the tree', async () => {
    const tx = await makeTx(ALICE_KEY);
    await mine([tx]);
    const reuse = await makeTx(ALICE_KEY, { nullifiers: tx.nullifiers, noteHashes: [freshFr()] });
    expect(rejected(await pool.add(reuse))).toEqual({
      code: 'DUPLICATE_NULLIFIER',
      reason: `nullifier 0x${tx.nullifiers[0]!.toString(16).padStart(64, '0')} was already emitted`,
    });
    expect(rejected(await pool.add(tx))?.reason).toBe(
      `tx 0x${txHash(tx).toString(16).padStart(64, '0')} was already mined in block 2`,
    );
  });

  it('runs the static checks against the next block', async () => {
    const cases: [Promise<Tx>, string][] = [
      [makeTx(ALICE_KEY, { chainId: 5n }), 'WRONG_CHAIN'],
      [makeTx(ALICE_KEY, { version: 5n }), 'WRONG_VERSION'],
      [makeTx(ALICE_KEY, { expiryBlockNumber: asL2BlockNumber(1n) }), 'EXPIRED'],
      [makeTx(ALICE_KEY).then(tx => signTx(tx, BOB_KEY)), 'INVALID_SIGNATURE'],
      [
        makeTx(ALICE_KEY, { gasSettings: { ...fee(1n).gasSettings, gasLimits: { daGas: 10, l2Gas: 10 } } }),
        'GAS_LIMIT',
      ],
      [makeTx(ALICE_KEY).then(tx => ({ ...tx, nullifiers: Array.from({ length: 65 }, freshFr) })), 'TOO_LARGE'],
    ];
    for (const [tx, code] of cases) expect(rejected(await pool.add(await tx))?.code).toBe(code);
    expect(pool.getPendingCount()).toBe(0);
  });

  it('keeps a tx whose max fees are below any base fee pending: base fees move with L1, the builder skips it', async () => {
    const cheap = await makeTx(ALICE_KEY, fee(1n));
    const added = await pool.add(cheap);
    expect(added.accepted).toBe(true);
    expect(pool.getTxStatus(txHash(cheap))).toBe('pending');
  });

  it('checks the balance against the most the tx can cost, a claim counting towards it', async () => {
    expect(rejected(await pool.add(await makeTx(BOB_KEY, fee(1n))))).toMatchObject({
      code: 'INSUFFICIENT_FEE_JUICE',
      reason: expect.stringMatching(
        /^the most the tx may cost \(gas limits × max fees per gas\) needs 110000 fee juice, but the fee payer 0x[0-9a-f]+ has 0$/,
      ) as string,
    });
    // The same rule as the block builder's: a claim credits the fee payer before the fee is charged.
    const claimTooSmall = await makeTx(BOB_KEY, {
      ...fee(10n ** 5n),
      actions: [{ type: 'claim', to: BOB, amount: DEPOSIT, secret, leafIndex: 0n }],
    });
    const maxCost = computeFee(claimTooSmall.gasSettings.gasLimits, claimTooSmall.gasSettings.maxFeesPerGas);
    expect(maxCost).toBeGreaterThan(DEPOSIT);
    expect(rejected(await pool.add(claimTooSmall))?.code).toBe('INSUFFICIENT_FEE_JUICE');
    expect((await pool.add(await claimTx())).accepted).toBe(true);
    const badClaim = await makeTx(BOB_KEY, {
      actions: [{ type: 'claim', to: BOB, amount: 1n, secret, leafIndex: 0n }],
    });
    expect(rejected(await pool.add(badClaim))?.code).toBe('INVALID_CLAIM');
    const notYet = await makeTx(BOB_KEY, { actions: [{ type: 'claim', to: BOB, amount: 1n, secret, leafIndex: 40n }] });
    expect(rejected(await pool.add(notYet))?.reason).toContain('the leaf is empty');
  });

  it('marks block txs mined and evicts txs whose nullifiers were mined or that expired', async () => {
    const inBlock = await makeTx(ALICE_KEY);
    const loser = await makeTx(ALICE_KEY, { nullifiers: [freshFr()], noteHashes: [freshFr()] });
    const expiring = await makeTx(ALICE_KEY, { expiryBlockNumber: asL2BlockNumber(2n) });
    for (const tx of [inBlock, loser, expiring]) expect((await pool.add(tx)).accepted).toBe(true);
    // A tx from elsewhere spends the loser's nullifier.
    const rival = await makeTx(ALICE_KEY, { nullifiers: loser.nullifiers });
    const dropped = await mine([inBlock, rival]);
    expect(new Set(dropped)).toEqual(new Set([txHash(loser), txHash(expiring)]));
    expect(pool.getTxStatus(txHash(inBlock))).toEqual({ status: 'mined', blockNumber: 2n });
    expect(pool.getTxStatus(txHash(rival))).toEqual({ status: 'mined', blockNumber: 2n });
    expect(pool.getTxStatus(txHash(loser))).toEqual({
      status: 'dropped',
      reason: expect.stringContaining(
        `was emitted by tx 0x${txHash(rival).toString(16).padStart(64, '0')} in block 2`,
      ) as string,
    });
    expect(pool.getTxStatus(txHash(expiring))).toEqual({
      status: 'dropped',
      reason: 'expired: includable up to block 2, the next block is 3',
    });
    expect(pool.getPendingCount()).toBe(0);
    expect(pool.getTxByHash(txHash(loser))).toBeUndefined();
    expect(pool.getTxByHash(txHash(inBlock))).toEqual(inBlock);
  });

  it('puts txs of unwound blocks back as pending, and prunes old mined txs', async () => {
    const tx = await makeTx(ALICE_KEY);
    await pool.add(tx);
    await mine([tx]);
    expect(pool.onUnwind(1n)).toEqual([txHash(tx)]);
    expect(pool.getTxStatus(txHash(tx))).toBe('pending');
    expect(pool.getPendingTxs()).toEqual([tx]);
    pool.markMined([txHash(tx)], 2n);
    expect(pool.pruneMinedBefore(3n)).toBe(1);
    expect(pool.getTxStatus(txHash(tx))).toBeUndefined();
    pool.reinsert([tx]);
    expect(pool.getPendingTxs()).toEqual([tx]);
    expect(pool.markDropped(txHash(tx), 'operator said so')).toBe(true);
    expect(pool.getTxStatus(txHash(tx))).toEqual({ status: 'dropped', reason: 'operator said so' });
    expect(pool.markDropped(txHash(tx), 'again')).toBe(false);
  });

  it('when full, takes a tx that pays more by evicting the lowest-paying one, and refuses one that does not', async () => {
    const metrics = new Registry();
    const small = newPool(world, { maxPendingTxs: 2, metrics });
    const [low, mid] = [await makeTx(ALICE_KEY, fee(2n)), await makeTx(ALICE_KEY, fee(3n))];
    for (const tx of [low, mid]) expect((await small.add(tx)).accepted).toBe(true);
    expect(rejected(await small.add(await makeTx(ALICE_KEY, fee(2n))))).toEqual({
      code: 'POOL_FULL',
      reason:
        'the tx pool is full (2 pending txs) and its lowest-paying tx pays 2 per L2 gas; pay more than that ' +
        '(this tx offers 2) or try again later',
    });
    const high = await makeTx(ALICE_KEY, fee(5n));
    expect((await small.add(high)).accepted).toBe(true);
    expect(small.getPendingTxs()).toEqual([high, mid]);
    expect(small.getTxStatus(txHash(low))).toEqual({
      status: 'dropped',
      reason: `evicted from the full tx pool by tx ${frToHex(txHash(high))}, which pays more`,
    });
    expect(await metrics.getSingleMetricAsString('aztec_tx_pool_dropped_total')).toContain(
      'aztec_tx_pool_dropped_total{cause="evicted"} 1',
    );
    expect(await metrics.getSingleMetricAsString('aztec_tx_pool_pending_txs')).toContain('aztec_tx_pool_pending_txs 2');
  });

  it('is bounded by bytes too, and counts them across restarts of the pool', async () => {
    const one = await makeTx(ALICE_KEY, fee(2n));
    const size = encodeTx(one).length;
    const small = newPool(world, { maxPendingBytes: Math.floor(size * 2.5) });
    expect((await small.add(one)).accepted).toBe(true);
    expect((await small.add(await makeTx(ALICE_KEY, fee(2n)))).accepted).toBe(true);
    expect(small.getPendingBytes()).toBe(2 * size);
    expect(rejected(await small.add(await makeTx(ALICE_KEY, fee(1n))))?.reason).toMatch(
      new RegExp(`^the tx pool is full \\(${Math.floor(size * 2.5)} bytes of pending txs\\)`),
    );
    expect((await small.add(await makeTx(ALICE_KEY, fee(3n)))).accepted).toBe(true);
    expect(small.getPendingCount()).toBe(2);
    const reopened = newPool(world, { maxPendingBytes: Math.floor(size * 2.5) });
    expect(reopened.getPendingBytes()).toBe(2 * size);
  });

  it('replaces pending txs that share a nullifier when the new one pays 10% more, and says how much otherwise', async () => {
    const first = await makeTx(ALICE_KEY, fee(100n));
    expect((await pool.add(first)).accepted).toBe(true);
    const same = await makeTx(ALICE_KEY, { ...fee(109n), nullifiers: first.nullifiers });
    expect(rejected(await pool.add(same))).toEqual({
      code: 'DUPLICATE_NULLIFIER',
      reason:
        `it shares a nullifier with pending tx ${frToHex(txHash(first))}; to replace it, pay at least 110 per L2 gas ` +
        '(10% more than its 100; this tx offers 109) and at least its 10 per DA gas',
    });
    const bumped = await makeTx(ALICE_KEY, { ...fee(110n), nullifiers: first.nullifiers });
    expect((await pool.add(bumped)).accepted).toBe(true);
    expect(pool.getPendingTxs()).toEqual([bumped]);
    expect(pool.getTxStatus(txHash(first))).toEqual({
      status: 'dropped',
      reason: `replaced by tx ${frToHex(txHash(bumped))}, which pays more`,
    });
  });
});

describe('TxPool persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tx-pool-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps pending txs, order and receipts across reopening the store', async () => {
    const open = async () => {
      const store = await openKvStore({ dataDirectory: dir, name: 'node' });
      const w = { store, worldState: createWorldState({ store, blockHistory: 64 }) };
      return { w, pool: newPool(w) };
    };
    const first = await open();
    await commitFundingBlock(first.w, [[ALICE, 10n ** 12n]]);
    const txs = await Promise.all([3n, 9n].map(f => makeTx(ALICE_KEY, fee(f))));
    for (const tx of txs) await first.pool.add(tx);
    first.pool.markDropped(txHash(txs[0]!), 'gone');
    const third = await makeTx(ALICE_KEY, fee(1n));
    await first.pool.add(third);
    await first.w.store.close();

    const second = await open();
    try {
      expect(second.pool.getPendingTxs()).toEqual([txs[1], third]);
      expect(second.pool.getTxStatus(txHash(txs[0]!))).toEqual({ status: 'dropped', reason: 'gone' });
      const fourth = await makeTx(ALICE_KEY, fee(1n));
      await second.pool.add(fourth);
      expect(second.pool.getPendingTxs()).toEqual([txs[1], third, fourth]);
      expect(rejected(await second.pool.add(third))?.code).toBe('ALREADY_KNOWN');
    } finally {
      await second.w.store.close();
    }
  });
});
