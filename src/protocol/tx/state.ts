import type { Address } from 'viem';

import {
  FR_LIMIT,
  feeJuiceBalanceSlot,
  feeJuiceClaimMessageLeaf,
  feeJuiceClaimNullifier,
  frToHex,
  type ClaimAction,
  type Fr,
  type Tx,
} from '../../types/index.js';
import { TREE_HEIGHTS } from '../../world-state/types.js';
import { firstRepeated } from './rules.js';
import { txRejection, type TxRejection } from './rejection.js';

/**
 * The state a tx is checked against: the latest world state for the pool, a block's fork for the builder and the
 * attesters. `WorldStateFork` fits as it is; `latestStateView` adapts the committed world state.
 */
export interface TxStateView {
  /** Whether a nullifier is in the nullifier tree. */
  hasNullifier(nullifier: Fr): boolean;
  /** Value of a public data slot (0 when never written). */
  readPublicData(slot: Fr): Fr;
  /** Leaf at an index of the L1→L2 message tree (0 when empty). */
  getL1ToL2MessageLeaf(index: bigint): Fr;
}

/** What the state rules need to know of the network. */
export interface TxStateContext {
  /** The L1 chain id (claim leaves commit to it). */
  l1ChainId: bigint;
  /** The rollup version (claim leaves commit to it). */
  version: bigint;
  /** The `FeeJuicePortal` address (sender of fee juice deposits). */
  feeJuicePortal: Address;
}

/** The fee a run charges: the block's actual fee, or (the pool) the most the tx may cost. */
export interface TxCharge {
  amount: bigint;
  /** How a shortfall names it: "the fee (… at the base fees)". */
  what: string;
  /** Who receives it (the block's fee recipient); the pool, not knowing it yet, leaves it out. */
  recipient?: Fr;
}

/** A tx that passed the state rules: the nullifiers its claims emit and the balances it leaves. */
export interface TxStateRun {
  claimNullifiers: Fr[];
  /** Final fee juice balance of each account read or written, by L2 address. */
  balances: ReadonlyMap<Fr, bigint>;
}

const MAX_L1_TO_L2_INDEX = 1n << BigInt(TREE_HEIGHTS.l1ToL2Message);

/**
 * The one implementation of the rules that depend on state (docs/l2-protocol.md), used by the pool on the latest
 * state and by the block builder and the attesters on a block's fork: the tx's nullifiers are distinct and new;
 * its actions run in order (a claim must match the deposit at its L1→L2 message index and be unclaimed, and credits
 * `to`; a transfer debits the fee payer and credits `to`); then the charge is debited from the fee payer (after the
 * actions, so a claim can pay for its own tx) and credited to the recipient. Nothing is written: the caller applies
 * the result.
 */
export function runTxOnState(
  tx: Tx,
  state: TxStateView,
  ctx: TxStateContext,
  charge: TxCharge,
): TxStateRun | { rejection: TxRejection } {
  const reject = (rejection: TxRejection) => ({ rejection });
  const repeated = firstRepeated(tx.nullifiers);
  if (repeated !== undefined) {
    return reject(txRejection('DUPLICATE_NULLIFIER', `nullifier ${frToHex(repeated)} appears twice in the tx`));
  }
  const existing = tx.nullifiers.find(n => state.hasNullifier(n));
  if (existing !== undefined) {
    return reject(txRejection('DUPLICATE_NULLIFIER', `nullifier ${frToHex(existing)} was already emitted`));
  }

  const used = new Set<Fr>(tx.nullifiers);
  const claimNullifiers: Fr[] = [];
  const balances = new Balances(state);
  for (const [i, a] of tx.actions.entries()) {
    if (a.type === 'claim') {
      const nullifier = checkClaim(state, ctx, a, i, used);
      if (typeof nullifier !== 'bigint') return reject(nullifier);
      used.add(nullifier);
      claimNullifiers.push(nullifier);
      const overflow = balances.credit(a.to, a.amount);
      if (overflow) return reject(overflow);
    } else {
      const problem =
        balances.debit(tx.feePayer, a.amount, `action ${i} (transfer of ${a.amount})`) ??
        balances.credit(a.to, a.amount);
      if (problem) return reject(problem);
    }
  }

  const feeProblem =
    balances.debit(tx.feePayer, charge.amount, charge.what) ??
    (charge.recipient === undefined ? undefined : balances.credit(charge.recipient, charge.amount));
  if (feeProblem) return reject(feeProblem);
  return { claimNullifiers, balances: balances.values };
}

/** The L1→L2 message leaf a claim must find: it depends only on the claim and the network. */
export function expectedClaimLeaf(a: ClaimAction, ctx: TxStateContext): Fr {
  return feeJuiceClaimMessageLeaf({
    portal: ctx.feeJuicePortal,
    l1ChainId: ctx.l1ChainId,
    version: ctx.version,
    to: a.to,
    amount: a.amount,
    secret: a.secret,
    globalIndex: a.leafIndex,
  });
}

/**
 * The nullifier each claim of `tx` emits, in action order; known without the state (a valid claim finds the leaf
 * it expects). The pool reserves them with the tx's own.
 */
export function claimNullifiersOf(tx: Tx, ctx: TxStateContext): Fr[] {
  return tx.actions.flatMap(a =>
    a.type === 'claim' ? [feeJuiceClaimNullifier(expectedClaimLeaf(a, ctx), a.leafIndex)] : [],
  );
}

/** Checks one claim: the deposit leaf matches and is unclaimed. Returns its nullifier or a rejection. */
function checkClaim(
  state: TxStateView,
  ctx: TxStateContext,
  a: ClaimAction,
  i: number,
  used: ReadonlySet<Fr>,
): Fr | TxRejection {
  if (a.leafIndex >= MAX_L1_TO_L2_INDEX) {
    return txRejection('INVALID_CLAIM', `action ${i}: leafIndex ${a.leafIndex} is outside the L1→L2 message tree`);
  }
  const leaf = state.getL1ToL2MessageLeaf(a.leafIndex);
  const expected = expectedClaimLeaf(a, ctx);
  if (leaf !== expected) {
    const found = leaf === 0n ? 'is empty' : `is ${frToHex(leaf)}`;
    return txRejection(
      'INVALID_CLAIM',
      `action ${i}: no fee juice deposit matching this claim (to, amount, secret) at L1→L2 message ${a.leafIndex}: ` +
        `the leaf ${found}, the claim expects ${frToHex(expected)}. A deposit can be claimed once the L2 block ` +
        'that includes its message is mined.',
    );
  }
  const nullifier = feeJuiceClaimNullifier(leaf, a.leafIndex);
  if (used.has(nullifier) || state.hasNullifier(nullifier)) {
    return txRejection(
      'DUPLICATE_NULLIFIER',
      `action ${i}: the deposit at L1→L2 message ${a.leafIndex} was already claimed`,
    );
  }
  return nullifier;
}

/** Fee juice balances read from the state once and changed in memory: the scratch state of one tx. */
class Balances {
  readonly values = new Map<Fr, bigint>();

  constructor(private readonly state: TxStateView) {}

  get(account: Fr): bigint {
    const cached = this.values.get(account);
    if (cached !== undefined) return cached;
    const value: bigint = this.state.readPublicData(feeJuiceBalanceSlot(account));
    this.values.set(account, value);
    return value;
  }

  credit(account: Fr, amount: bigint): TxRejection | undefined {
    const next = this.get(account) + amount;
    if (next >= FR_LIMIT) {
      return txRejection('BALANCE_OVERFLOW', `crediting ${amount} to ${frToHex(account)} overflows its balance`);
    }
    this.values.set(account, next);
    return undefined;
  }

  debit(account: Fr, amount: bigint, what: string): TxRejection | undefined {
    const balance = this.get(account);
    if (balance < amount) {
      return txRejection(
        'INSUFFICIENT_FEE_JUICE',
        `${what} needs ${amount} fee juice, but the fee payer ${frToHex(account)} has ${balance}`,
      );
    }
    this.values.set(account, balance - amount);
    return undefined;
  }
}
