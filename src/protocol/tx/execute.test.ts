import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { asL2BlockNumber } from '../../foundation/types/branded.js';
import {
  computeFee,
  feeJuiceBalanceSlot,
  feeJuiceClaimNullifier,
  FR_LIMIT,
  signTx,
  txHash,
  txL2ToL1MessageLeaves,
  type Fr,
  type Tx,
} from '../../types/index.js';
import type { WorldStateFork } from '../../world-state/types.js';
import {
  ALICE,
  ALICE_KEY,
  BOB,
  BOB_KEY,
  depositLeaf,
  FEE_RECIPIENT,
  freshFr,
  makeTx,
  openTestWorld,
  testExecutionContext,
  type TestWorld,
} from '../testing/index.js';
import { executeTx, isRejected, type ExecuteTxResult } from './execute.js';
import { computeGasUsed } from './index.js';

let world: TestWorld;
let fork: WorldStateFork;
const ctx = testExecutionContext(1n);
const balanceOf = (a: Fr) => fork.readPublicData(feeJuiceBalanceSlot(a));
const fund = (a: Fr, amount: bigint) => fork.writePublicData(feeJuiceBalanceSlot(a), amount as Fr);
const accepted = (r: ExecuteTxResult) => {
  if (isRejected(r)) throw new Error(`rejected: ${r.rejected.code} ${r.rejected.reason}`);
  return r;
};
const rejection = (r: ExecuteTxResult) => (isRejected(r) ? r.rejected : undefined);

beforeEach(async () => {
  world = await openTestWorld();
  fork = world.worldState.fork();
  fork.appendL1ToL2Messages([]);
});
afterEach(async () => {
  fork.discard();
  await world.store.close();
});

describe('executeTx', () => {
  it('charges the fee to the fee payer and credits the fee recipient', async () => {
    fund(ALICE, 1_000_000n);
    const tx = await makeTx(ALICE_KEY, {
      noteHashes: [freshFr()],
      l2ToL1Messages: [{ recipient: '0x00000000000000000000000000000000000000aa', content: 7n as Fr }],
      publicLogs: [[1n as Fr, 2n as Fr]],
    });
    const { effect, gas } = accepted(await executeTx(fork, tx, ctx));
    const fee = computeFee(gas, ctx.globals.gasFees);
    expect(gas).toEqual(computeGasUsed(tx, FEE_RECIPIENT));
    expect(gas.l2Gas).toBe(10_000 + 2_000 + 5_000 + 200);
    expect(effect.transactionFee).toBe(fee);
    expect(effect.txHash).toBe(txHash(tx));
    expect(effect.nullifiers).toEqual(tx.nullifiers);
    expect(effect.noteHashes).toEqual(tx.noteHashes);
    expect(effect.l2ToL1Messages).toEqual(txL2ToL1MessageLeaves(tx, ctx.l1ChainId));
    expect(effect.publicDataWrites).toEqual([
      { leafSlot: feeJuiceBalanceSlot(ALICE), value: 1_000_000n - fee },
      { leafSlot: feeJuiceBalanceSlot(FEE_RECIPIENT), value: fee },
    ]);
    expect(balanceOf(ALICE)).toBe(1_000_000n - fee);
    expect(balanceOf(FEE_RECIPIENT)).toBe(fee);
    expect(fork.hasNullifier(tx.nullifiers[0]!)).toBe(true);
  });

  it('runs a transfer from the fee payer', async () => {
    fund(ALICE, 1_000_000n);
    const tx = await makeTx(ALICE_KEY, { actions: [{ type: 'transfer', to: BOB, amount: 500n }] });
    const { effect } = accepted(await executeTx(fork, tx, ctx));
    expect(balanceOf(BOB)).toBe(500n);
    expect(balanceOf(ALICE)).toBe(1_000_000n - 500n - effect.transactionFee);
    expect(effect.publicDataWrites.map(w => w.leafSlot)).toEqual([ALICE, BOB, FEE_RECIPIENT].map(feeJuiceBalanceSlot));
  });

  it('lets a claim of bridged fee juice pay for its own tx, then for a later one', async () => {
    const secret = 42n as Fr;
    const leaf = depositLeaf(BOB, 100_000n, secret, 3n);
    fork.discard();
    fork = world.worldState.fork();
    fork.appendL1ToL2Messages([0n as Fr, 0n as Fr, 0n as Fr, leaf]);
    const claim = await makeTx(BOB_KEY, {
      actions: [{ type: 'claim', to: BOB, amount: 100_000n, secret, leafIndex: 3n }],
    });
    const { effect } = accepted(await executeTx(fork, claim, ctx));
    const claimNullifier = feeJuiceClaimNullifier(leaf, 3n);
    expect(effect.nullifiers).toEqual([claim.nullifiers[0], claimNullifier]);
    expect(balanceOf(BOB)).toBe(100_000n - effect.transactionFee);

    const spend = await makeTx(BOB_KEY);
    const second = accepted(await executeTx(fork, spend, ctx));
    expect(balanceOf(BOB)).toBe(100_000n - effect.transactionFee - second.effect.transactionFee);

    const again = await makeTx(BOB_KEY, {
      actions: [{ type: 'claim', to: BOB, amount: 100_000n, secret, leafIndex: 3n }],
    });
    expect(rejection(await executeTx(fork, again, ctx))).toEqual({
      code: 'DUPLICATE_NULLIFIER',
      reason: 'action 0: the deposit at L1→L2 message 3 was already claimed',
    });
    const wrong = await makeTx(BOB_KEY, {
      actions: [{ type: 'claim', to: BOB, amount: 100_001n, secret, leafIndex: 3n }],
    });
    expect(rejection(await executeTx(fork, wrong, ctx))).toMatchObject({
      code: 'INVALID_CLAIM',
      reason: expect.stringContaining('no fee juice deposit matching this claim') as string,
    });
  });

  it('leaves the fork untouched when a tx is rejected after its actions ran', async () => {
    fund(ALICE, 30_000n);
    const before = fork.getStateReference();
    // The transfer succeeds in the scratch state, then the fee does not fit in what is left.
    const tx = await makeTx(ALICE_KEY, { actions: [{ type: 'transfer', to: BOB, amount: 20_000n }] });
    expect(rejection(await executeTx(fork, tx, ctx))?.code).toBe('INSUFFICIENT_FEE_JUICE');
    expect(fork.getStateReference()).toEqual(before);
    expect(balanceOf(ALICE)).toBe(30_000n);
    expect(balanceOf(BOB)).toBe(0n);
    expect(fork.hasNullifier(tx.nullifiers[0]!)).toBe(false);
  });
});

describe('executeTx rejections', () => {
  const reject = async (tx: Tx, c = ctx, prepare?: () => void) => {
    fund(ALICE, 10n ** 12n);
    prepare?.();
    const before = fork.getStateReference();
    const r = rejection(await executeTx(fork, tx, c));
    expect(fork.getStateReference()).toEqual(before);
    return r;
  };
  const unsigned = async (over: Partial<Tx>) => ({ ...(await makeTx(ALICE_KEY)), ...over });

  it.each([
    ['WRONG_CHAIN', { chainId: 1n }, "tx is for chain id 1, but this network's L1 chain id is 31337"],
    ['WRONG_VERSION', { version: 9n }, 'tx is for rollup version 9, but this rollup is version 1'],
    [
      'EXPIRED',
      { expiryBlockNumber: asL2BlockNumber(0n) },
      'tx expired: it may only be included up to block 0, and the block being built is 1',
    ],
    [
      'GAS_LIMIT',
      { gasSettings: { gasLimits: { daGas: 100, l2Gas: 100 }, maxFeesPerGas: { feePerDaGas: 9n, feePerL2Gas: 9n } } },
      'tx uses 228 DA gas and 11000 L2 gas, above its gas limits of 100 DA gas and 100 L2 gas',
    ],
    [
      'FEE_TOO_LOW',
      {
        gasSettings: {
          gasLimits: { daGas: 1000, l2Gas: 100_000 },
          maxFeesPerGas: { feePerDaGas: 9n, feePerL2Gas: 1n },
        },
      },
      "tx max fees per gas (DA 9, L2 1) are below the block's base fees (DA 1, L2 2)",
    ],
  ] as const)('%s', async (code, over, reason) => {
    expect(await reject(await makeTx(ALICE_KEY, over))).toEqual({ code, reason });
  });

  it('TOO_LARGE and MALFORMED_TX', async () => {
    const many = Array.from({ length: 65 }, () => freshFr());
    expect(await reject(await unsigned({ nullifiers: many }))).toEqual({
      code: 'TOO_LARGE',
      reason: 'tx has 65 nullifiers, at most 64 are allowed',
    });
    expect(await reject(await unsigned({ publicLogs: [Array.from({ length: 33 }, () => 1n as Fr)] }))).toEqual({
      code: 'TOO_LARGE',
      reason: 'public log 0 has 33 fields, at most 32 are allowed',
    });
    expect((await reject(await unsigned({ nullifiers: [] })))?.code).toBe('MALFORMED_TX');
    expect((await reject(await unsigned({ nullifiers: [FR_LIMIT as Fr] })))?.code).toBe('MALFORMED_TX');
  });

  it('INVALID_SIGNATURE', async () => {
    const byBob = await signTx({ ...(await makeTx(ALICE_KEY)) }, BOB_KEY);
    expect(await reject(byBob)).toEqual({
      code: 'INVALID_SIGNATURE',
      reason: expect.stringMatching(/^signature is by L2 address 0x[0-9a-f]{64}, not by the fee payer 0x/) as string,
    });
    const tampered = { ...(await makeTx(ALICE_KEY)), version: 1n, expiryBlockNumber: asL2BlockNumber(999n) };
    expect((await reject(tampered))?.code).toBe('INVALID_SIGNATURE');
    expect(await reject(await unsigned({ signature: Buffer.alloc(65) }))).toEqual({
      code: 'INVALID_SIGNATURE',
      reason: 'signature must be 65 bytes r‖s‖v with v = 27 or 28',
    });
  });

  it('DUPLICATE_NULLIFIER: in the tree, twice in the tx, earlier in the block', async () => {
    const n = freshFr();
    const inTree = await makeTx(ALICE_KEY, { nullifiers: [n] });
    expect((await reject(inTree, ctx, () => fork.insertNullifiers([n])))?.reason).toMatch(/was already emitted$/);
    const twice = freshFr();
    expect(await reject(await makeTx(ALICE_KEY, { nullifiers: [twice, twice] }))).toMatchObject({
      code: 'DUPLICATE_NULLIFIER',
      reason: expect.stringContaining('appears twice in the tx') as string,
    });
    const first = await makeTx(ALICE_KEY);
    accepted(await executeTx(fork, first, ctx));
    const second = await makeTx(ALICE_KEY, { nullifiers: first.nullifiers, noteHashes: [1n as Fr] });
    expect((await reject(second))?.code).toBe('DUPLICATE_NULLIFIER');
  });

  it('INVALID_CLAIM when the leaf is empty or out of range', async () => {
    const claim = (leafIndex: bigint) =>
      makeTx(ALICE_KEY, { actions: [{ type: 'claim', to: ALICE, amount: 1n, secret: 1n as Fr, leafIndex }] });
    expect((await reject(await claim(5n)))?.reason).toContain('the leaf is empty, the claim expects');
    expect((await reject(await claim(1n << 50n)))?.reason).toBe(
      'action 0: leafIndex 1125899906842624 is outside the L1→L2 message tree',
    );
  });

  it('INSUFFICIENT_FEE_JUICE for a transfer and for the fee', async () => {
    const transfer = await makeTx(ALICE_KEY, { actions: [{ type: 'transfer', to: BOB, amount: 10n ** 13n }] });
    expect((await reject(transfer))?.reason).toMatch(
      /^action 0 \(transfer of 10000000000000\) needs 10000000000000 fee juice, but the fee payer 0x[0-9a-f]+ has 1000000000000$/,
    );
    const broke = await makeTx(BOB_KEY);
    expect((await reject(broke))?.reason).toMatch(
      /^the fee \(228 DA gas and 11000 L2 gas at the base fees\) needs 22228 fee juice, but the fee payer 0x[0-9a-f]+ has 0$/,
    );
  });

  it('BALANCE_OVERFLOW', async () => {
    const tx = await makeTx(ALICE_KEY, { actions: [{ type: 'transfer', to: BOB, amount: 10n }] });
    const r = await reject(tx, ctx, () => fund(BOB, FR_LIMIT - 5n));
    expect(r?.code).toBe('BALANCE_OVERFLOW');
  });

  it('BLOCK_FULL when the effect does not fit in the body', async () => {
    expect(await reject(await makeTx(ALICE_KEY), { ...ctx, maxEffectSize: 100 })).toEqual({
      code: 'BLOCK_FULL',
      reason: 'tx effect is 228 bytes, only 100 are left in this block',
    });
  });
});
