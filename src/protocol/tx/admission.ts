import type { Address } from 'viem';

import {
  checkTxGas,
  checkTxSignature,
  checkTxStatic,
  computeGasUsed,
  firstRepeated,
  txRejection,
  type TxRejection,
} from './index.js';
import {
  computeFee,
  feeJuiceBalanceSlot,
  feeJuiceClaimMessageLeaf,
  feeJuiceClaimNullifier,
  frToHex,
  type ClaimAction,
  type Fr,
  type GasFees,
  type Tx,
} from '../../types/index.js';
import { TREE_HEIGHTS, type WorldState } from '../../world-state/types.js';

/** What the pool checks txs against, besides the world state. */
export interface PoolValidationContext {
  /** The L1 chain id (`tx.chainId`). */
  l1ChainId: bigint;
  /** The rollup version. */
  version: bigint;
  /** The `FeeJuicePortal` address (sender of fee juice deposits). */
  feeJuicePortal: Address;
  /** Current base fees: when given, txs whose maximum fees are below them are refused. */
  baseFees?: GasFees;
}

/**
 * The checks that need no state (chain, version, expiry against `nextBlockNumber`, counts and size, signature,
 * worst-case gas within the limits, fees against the base fees), in the sequencer's order.
 */
export async function checkTxStateless(
  tx: Tx,
  nextBlockNumber: bigint,
  ctx: PoolValidationContext,
): Promise<TxRejection | undefined> {
  const invalid =
    checkTxStatic(tx, { chainId: ctx.l1ChainId, version: ctx.version, blockNumber: nextBlockNumber }) ??
    (await checkTxSignature(tx));
  if (invalid) return invalid;
  return checkTxGas(tx, computeGasUsed(tx), ctx.baseFees);
}

const MAX_L1_TO_L2_INDEX = 1n << BigInt(TREE_HEIGHTS.l1ToL2Message);

function leafAt(ws: WorldState, index: bigint): Fr | undefined {
  if (index >= MAX_L1_TO_L2_INDEX) return undefined;
  try {
    return ws.getLeaf('l1ToL2Message', index);
  } catch {
    return undefined;
  }
}

/**
 * The nullifier each claim of `tx` emits, in action order. It depends only on the claim and the network (the leaf
 * a valid claim finds is the one it expects), so it is known without the state.
 */
export function claimNullifiers(tx: Tx, ctx: PoolValidationContext): Fr[] {
  return tx.actions.flatMap(a =>
    a.type === 'claim' ? [feeJuiceClaimNullifier(expectedClaimLeaf(a, ctx), a.leafIndex)] : [],
  );
}

function expectedClaimLeaf(a: ClaimAction, ctx: PoolValidationContext): Fr {
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

/** Nullifiers a pending tx reserves: its own and its claims'. */
export interface StateCheckResult {
  nullifiers: Fr[];
}

/**
 * Checks a tx against the latest world state: its nullifiers are new and distinct; each claim matches the L1→L2
 * message at its `leafIndex` and is unclaimed; without claims, the fee payer's balance covers the most the tx can
 * cost (`gasLimits · maxFeesPerGas` plus its transfers). With a claim the balance is left to the sequencer: the
 * claim may fund the fee.
 */
export function checkTxAgainstState(
  tx: Tx,
  ws: WorldState,
  ctx: PoolValidationContext,
): StateCheckResult | { rejection: TxRejection } {
  const reject = (code: TxRejection['code'], reason: string) => ({ rejection: txRejection(code, reason) });
  const repeated = firstRepeated(tx.nullifiers);
  if (repeated !== undefined)
    return reject('DUPLICATE_NULLIFIER', `nullifier ${frToHex(repeated)} appears twice in the tx`);
  const existing = tx.nullifiers.find(n => ws.getNullifierWitness(n) !== undefined);
  if (existing !== undefined) {
    return reject('DUPLICATE_NULLIFIER', `nullifier ${frToHex(existing)} was already emitted in a mined block`);
  }

  const nullifiers = [...tx.nullifiers];
  for (const [i, a] of tx.actions.entries()) {
    if (a.type !== 'claim') continue;
    const leaf = leafAt(ws, a.leafIndex);
    const expected = expectedClaimLeaf(a, ctx);
    if (leaf !== expected) {
      const found = leaf === undefined || leaf === 0n ? 'is not in the L2 state yet' : `is ${frToHex(leaf)}`;
      return reject(
        'INVALID_CLAIM',
        `action ${i}: no fee juice deposit matching this claim (to, amount, secret) at L1→L2 message ` +
          `${a.leafIndex}: the leaf ${found}, the claim expects ${frToHex(expected)}. A deposit can be claimed once ` +
          'the L2 block that includes its message is mined.',
      );
    }
    const nullifier = feeJuiceClaimNullifier(expected, a.leafIndex);
    if (nullifiers.includes(nullifier) || ws.getNullifierWitness(nullifier) !== undefined) {
      return reject(
        'DUPLICATE_NULLIFIER',
        `action ${i}: the deposit at L1→L2 message ${a.leafIndex} was already claimed`,
      );
    }
    nullifiers.push(nullifier);
  }

  if (!tx.actions.some(a => a.type === 'claim')) {
    const { gasLimits, maxFeesPerGas } = tx.gasSettings;
    const transfers = tx.actions.reduce((sum, a) => sum + a.amount, 0n);
    const maxCost = computeFee(gasLimits, maxFeesPerGas) + transfers;
    const balance: bigint = ws.getPublicStorageAt(feeJuiceBalanceSlot(tx.feePayer));
    if (balance < maxCost) {
      return reject(
        'INSUFFICIENT_FEE_JUICE',
        `fee payer ${frToHex(tx.feePayer)} has ${balance} fee juice, but the tx may cost up to ${maxCost} ` +
          `(gas limits × max fees per gas${transfers > 0n ? ` plus ${transfers} transferred` : ''})`,
      );
    }
  }
  return { nullifiers };
}
