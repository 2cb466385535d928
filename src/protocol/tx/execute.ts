import type { Address } from 'viem';

import {
  computeFee,
  feeJuiceBalanceSlot,
  frToHex,
  txHash,
  txL2ToL1MessageLeaves,
  type Fr,
  type Gas,
  type GlobalVariables,
  type Tx,
  type TxEffect,
} from '../../types/index.js';
import type { WorldStateFork } from '../../world-state/types.js';
import { TxExecutionError, txRejection, type TxRejection } from './rejection.js';
import { checkTxStateless, computeGasUsed, touchedAccounts, type SignatureCheck } from './rules.js';
import { runTxOnState, type TxStateView } from './state.js';

/**
 * What `executeTx` reads and writes: a world-state fork, or the block builder's `BlockScratch` over one (which keeps
 * the block's writes in memory and inserts them into the fork's trees once per block).
 */
export type TxExecutionState = TxStateView &
  Pick<WorldStateFork, 'insertNullifiers' | 'appendNoteHashes' | 'writePublicData'>;

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
  /** The signature check (default `checkTxSignature`); the block builder passes results it checked in a batch. */
  checkSignature?: SignatureCheck;
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

/**
 * Executes `tx` on `fork` (docs/l2-protocol.md). Checks, in order: chain id and version, expiry, counts and size,
 * signature, gas limits and fees, nullifiers; then runs the actions (claims credit `to`, transfers debit the fee
 * payer), charges the fee (after the actions, so a claim can pay for its own tx) and credits the fee recipient.
 * Everything runs on scratch state: a refused tx leaves the fork exactly as it was; an accepted one's effect is
 * applied (nullifiers, note hashes, public data writes) and returned.
 */
export async function executeTx(fork: TxExecutionState, tx: Tx, ctx: TxExecutionContext): Promise<ExecuteTxResult> {
  const reject = (rejected: TxRejection) => ({ rejected });
  const { globals } = ctx;
  const gas = computeGasUsed(tx, globals.feeRecipient);
  const invalid = await checkTxStateless(tx, globals, gas, globals.gasFees, ctx.checkSignature);
  if (invalid) return reject(invalid);
  if (ctx.maxEffectSize !== undefined && gas.daGas > ctx.maxEffectSize) {
    return reject(
      txRejection('BLOCK_FULL', `tx effect is ${gas.daGas} bytes, only ${ctx.maxEffectSize} are left in this block`),
    );
  }

  const fee = computeFee(gas, globals.gasFees);
  const run = runTxOnState(
    tx,
    fork,
    { l1ChainId: ctx.l1ChainId, version: globals.version, feeJuicePortal: ctx.feeJuicePortal },
    {
      amount: fee,
      what: `the fee (${gas.daGas} DA gas and ${gas.l2Gas} L2 gas at the base fees)`,
      recipient: globals.feeRecipient,
    },
  );
  if ('rejection' in run) return reject(run.rejection);

  const effect: TxEffect = {
    txHash: txHash(tx),
    transactionFee: fee,
    noteHashes: [...tx.noteHashes],
    nullifiers: [...tx.nullifiers, ...run.claimNullifiers],
    l2ToL1Messages: txL2ToL1MessageLeaves(tx, ctx.l1ChainId),
    publicDataWrites: touchedAccounts(tx, globals.feeRecipient).map(a => ({
      leafSlot: feeJuiceBalanceSlot(a),
      value: (run.balances.get(a) ?? fork.readPublicData(feeJuiceBalanceSlot(a))) as Fr,
    })),
    publicLogs: tx.publicLogs.map(log => [...log]),
  };
  applyEffect(fork, effect);
  return { effect, gas };
}

/** Writes an accepted effect to the fork; nullifiers first, so a clash (checked above already) writes nothing. */
function applyEffect(fork: TxExecutionState, effect: TxEffect): void {
  try {
    fork.insertNullifiers(effect.nullifiers);
  } catch (err) {
    throw new TxExecutionError(`could not apply tx ${frToHex(effect.txHash)} to the fork`, { cause: err });
  }
  fork.appendNoteHashes(effect.noteHashes);
  for (const w of effect.publicDataWrites) fork.writePublicData(w.leafSlot, w.value);
}
