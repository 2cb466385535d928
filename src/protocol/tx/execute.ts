import type { Address } from 'viem';

import {
  computeFee,
  FR_LIMIT,
  feeJuiceBalanceSlot,
  feeJuiceClaimMessageLeaf,
  feeJuiceClaimNullifier,
  frToHex,
  txHash,
  txL2ToL1MessageLeaves,
  type Fr,
  type Gas,
  type GlobalVariables,
  type ProtocolAction,
  type Tx,
  type TxEffect,
} from '../../types/index.js';
import { TREE_HEIGHTS, type WorldStateFork } from '../../world-state/types.js';
import { TxExecutionError, txRejection, type TxRejection } from './index.js';
import {
  checkTxGas,
  checkTxSignature,
  checkTxStatic,
  computeGasUsed,
  firstRepeated,
  touchedAccounts,
} from './index.js';

/** What `executeTx` needs besides the fork and the tx. */
export interface TxExecutionContext {
  /** The block's globals: chain id, version, block number, base fees, fee recipient. */
  globals: Pick<GlobalVariables, 'chainId' | 'version' | 'blockNumber' | 'gasFees' | 'feeRecipient'>;
  /** The L1 chain id (claim leaves and L2→L1 message leaves commit to it). */
  l1ChainId: bigint;
  /** The `FeeJuicePortal` address (sender of fee juice deposits). */
  feeJuicePortal: Address;
  /** Bytes left in the block body: a tx whose effect is larger is refused with `BLOCK_FULL`, touching nothing. */
  maxEffectSize?: number;
}

/** An executed tx: its effect (already applied to the fork) and the gas it used. */
export interface ExecutedTx {
  effect: TxEffect;
  gas: Gas;
}

/** Outcome of `executeTx`. */
export type ExecuteTxResult = ExecutedTx | { rejected: TxRejection };

/** Whether `executeTx` refused the tx. */
export function isRejected(r: ExecuteTxResult): r is { rejected: TxRejection } {
  return 'rejected' in r;
}

const MAX_L1_TO_L2_INDEX = 1n << BigInt(TREE_HEIGHTS.l1ToL2Message);

/** Fee juice balances read from the fork once and changed in memory: the scratch state of one tx. */
class Balances {
  private readonly values = new Map<Fr, bigint>();

  constructor(private readonly fork: WorldStateFork) {}

  get(account: Fr): bigint {
    const cached = this.values.get(account);
    if (cached !== undefined) return cached;
    const value: bigint = this.fork.readPublicData(feeJuiceBalanceSlot(account));
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

/** Runs one claim: checks the deposit leaf and that it is unclaimed; returns its nullifier or a rejection. */
function runClaim(
  fork: WorldStateFork,
  ctx: TxExecutionContext,
  a: Extract<ProtocolAction, { type: 'claim' }>,
  i: number,
  used: Set<Fr>,
): Fr | TxRejection {
  if (a.leafIndex >= MAX_L1_TO_L2_INDEX) {
    return txRejection('INVALID_CLAIM', `action ${i}: leafIndex ${a.leafIndex} is outside the L1→L2 message tree`);
  }
  const leaf = fork.getL1ToL2MessageLeaf(a.leafIndex);
  const expected = feeJuiceClaimMessageLeaf({
    portal: ctx.feeJuicePortal,
    l1ChainId: ctx.l1ChainId,
    version: ctx.globals.version,
    to: a.to,
    amount: a.amount,
    secret: a.secret,
    globalIndex: a.leafIndex,
  });
  if (leaf !== expected) {
    const found = leaf === 0n ? 'is empty (is the deposit in a block yet?)' : `is ${frToHex(leaf)}`;
    return txRejection(
      'INVALID_CLAIM',
      `action ${i}: no fee juice deposit matching this claim (to, amount, secret) at L1→L2 message ${a.leafIndex}: ` +
        `the leaf ${found}, the claim expects ${frToHex(expected)}`,
    );
  }
  const nullifier = feeJuiceClaimNullifier(leaf, a.leafIndex);
  if (used.has(nullifier) || fork.hasNullifier(nullifier)) {
    return txRejection(
      'DUPLICATE_NULLIFIER',
      `action ${i}: the deposit at L1→L2 message ${a.leafIndex} was already claimed`,
    );
  }
  return nullifier;
}

/**
 * Executes `tx` on `fork` (docs/l2-protocol.md). Checks, in order: chain id and version, expiry, counts and size,
 * signature, gas limits and fees, nullifiers; then runs the actions (claims credit `to`, transfers debit the fee
 * payer), charges the fee (after the actions, so a claim can pay for its own tx) and credits the fee recipient.
 * Everything runs on scratch state: a refused tx leaves the fork exactly as it was; an accepted one's effect is
 * applied (nullifiers, note hashes, public data writes) and returned.
 */
export async function executeTx(fork: WorldStateFork, tx: Tx, ctx: TxExecutionContext): Promise<ExecuteTxResult> {
  const reject = (rejected: TxRejection) => ({ rejected });
  const { globals } = ctx;
  const invalid = checkTxStatic(tx, globals) ?? (await checkTxSignature(tx));
  if (invalid) return reject(invalid);

  const accounts = touchedAccounts(tx, globals.feeRecipient);
  const gas = computeGasUsed(tx, globals.feeRecipient);
  const gasProblem = checkTxGas(tx, gas, globals.gasFees);
  if (gasProblem) return reject(gasProblem);
  if (ctx.maxEffectSize !== undefined && gas.daGas > ctx.maxEffectSize) {
    return reject(
      txRejection('BLOCK_FULL', `tx effect is ${gas.daGas} bytes, only ${ctx.maxEffectSize} are left in this block`),
    );
  }

  const repeated = firstRepeated(tx.nullifiers);
  if (repeated !== undefined) {
    return reject(txRejection('DUPLICATE_NULLIFIER', `nullifier ${frToHex(repeated)} appears twice in the tx`));
  }
  const existing = tx.nullifiers.find(n => fork.hasNullifier(n));
  if (existing !== undefined) {
    return reject(txRejection('DUPLICATE_NULLIFIER', `nullifier ${frToHex(existing)} was already emitted`));
  }

  const used = new Set<Fr>(tx.nullifiers);
  const claimNullifiers: Fr[] = [];
  const balances = new Balances(fork);
  for (const [i, a] of tx.actions.entries()) {
    if (a.type === 'claim') {
      const nullifier = runClaim(fork, ctx, a, i, used);
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

  const fee = computeFee(gas, globals.gasFees);
  const feeProblem =
    balances.debit(tx.feePayer, fee, `the fee (${gas.daGas} DA gas and ${gas.l2Gas} L2 gas at the base fees)`) ??
    balances.credit(globals.feeRecipient, fee);
  if (feeProblem) return reject(feeProblem);

  const effect: TxEffect = {
    txHash: txHash(tx),
    transactionFee: fee,
    noteHashes: [...tx.noteHashes],
    nullifiers: [...tx.nullifiers, ...claimNullifiers],
    l2ToL1Messages: txL2ToL1MessageLeaves(tx, ctx.l1ChainId),
    publicDataWrites: accounts.map(a => ({ leafSlot: feeJuiceBalanceSlot(a), value: balances.get(a) as Fr })),
    publicLogs: tx.publicLogs.map(log => [...log]),
  };
  applyEffect(fork, effect);
  return { effect, gas };
}

/** Writes an accepted effect to the fork; nullifiers first, so a clash (checked above already) writes nothing. */
function applyEffect(fork: WorldStateFork, effect: TxEffect): void {
  try {
    fork.insertNullifiers(effect.nullifiers);
  } catch (err) {
    throw new TxExecutionError(`could not apply tx ${frToHex(effect.txHash)} to the fork`, { cause: err });
  }
  fork.appendNoteHashes(effect.noteHashes);
  for (const w of effect.publicDataWrites) fork.writePublicData(w.leafSlot, w.value);
}
