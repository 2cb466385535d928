import { errorMessage } from '../../foundation/errors/index.js';
import {
  computeTxGas,
  encodeUnsignedTx,
  feesCover,
  frToHex,
  gasWithinLimits,
  MAX_ACTIONS_PER_TX,
  MAX_L2_TO_L1_MSGS_PER_TX,
  MAX_NOTE_HASHES_PER_TX,
  MAX_NULLIFIERS_PER_TX,
  MAX_PUBLIC_LOG_FIELDS,
  MAX_PUBLIC_LOGS_PER_TX,
  MAX_TX_SIZE,
  MIN_NULLIFIERS_PER_TX,
  recoverFeePayer,
  SIGNATURE_LENGTH,
  txEffectSize,
  txGasCounts,
  type Fr,
  type Gas,
  type GasFees,
  type PublicDataWrite,
  type Tx,
  type TxEffect,
  type UnsignedTx,
} from '../../types/index.js';
import { txRejection, type TxRejection } from './rejection.js';

/** What the context-free checks compare a tx against. */
export interface TxStaticContext {
  /** The L1 chain id (what `tx.chainId` must equal). */
  chainId: bigint;
  /** The rollup version. */
  version: bigint;
  /** Number of the block the tx would go into (the pool: the next block). */
  blockNumber: bigint;
}

const COUNT_LIMITS: [string, (tx: UnsignedTx) => number, number][] = [
  ['nullifiers', tx => tx.nullifiers.length, MAX_NULLIFIERS_PER_TX],
  ['noteHashes', tx => tx.noteHashes.length, MAX_NOTE_HASHES_PER_TX],
  ['l2ToL1Messages', tx => tx.l2ToL1Messages.length, MAX_L2_TO_L1_MSGS_PER_TX],
  ['publicLogs', tx => tx.publicLogs.length, MAX_PUBLIC_LOGS_PER_TX],
  ['actions', tx => tx.actions.length, MAX_ACTIONS_PER_TX],
];

/**
 * The checks that need no state, in the protocol's order: chain id, version, expiry, counts and size. Returns the
 * first failure, or `undefined`. (Signature and gas come next: `checkTxSignature`, `checkTxGas`.)
 */
export function checkTxStatic(tx: Tx, ctx: TxStaticContext): TxRejection | undefined {
  if (tx.chainId !== ctx.chainId) {
    return txRejection(
      'WRONG_CHAIN',
      `tx is for chain id ${tx.chainId}, but this network's L1 chain id is ${ctx.chainId}`,
    );
  }
  if (tx.version !== ctx.version) {
    return txRejection(
      'WRONG_VERSION',
      `tx is for rollup version ${tx.version}, but this rollup is version ${ctx.version}`,
    );
  }
  if (ctx.blockNumber > tx.expiryBlockNumber) {
    return txRejection(
      'EXPIRED',
      `tx expired: it may only be included up to block ${tx.expiryBlockNumber}, and the block being built is ${ctx.blockNumber}`,
    );
  }
  if (tx.nullifiers.length < MIN_NULLIFIERS_PER_TX) {
    return txRejection('MALFORMED_TX', 'tx has no nullifier: the first nullifier is what makes a tx unique');
  }
  for (const [what, count, max] of COUNT_LIMITS) {
    if (count(tx) > max) return txRejection('TOO_LARGE', `tx has ${count(tx)} ${what}, at most ${max} are allowed`);
  }
  const longLog = tx.publicLogs.findIndex(log => log.length > MAX_PUBLIC_LOG_FIELDS);
  if (longLog >= 0) {
    return txRejection(
      'TOO_LARGE',
      `public log ${longLog} has ${tx.publicLogs[longLog]?.length} fields, at most ${MAX_PUBLIC_LOG_FIELDS} are allowed`,
    );
  }
  let size: number;
  try {
    size = encodeUnsignedTx(tx).length + SIGNATURE_LENGTH;
  } catch (err) {
    return txRejection('MALFORMED_TX', `tx cannot be encoded: ${errorMessage(err)}`);
  }
  if (size > MAX_TX_SIZE) {
    return txRejection('TOO_LARGE', `tx is ${size} bytes encoded, at most ${MAX_TX_SIZE} are allowed`);
  }
  return undefined;
}

/** Checks that the signature recovers to `tx.feePayer`. */
export async function checkTxSignature(tx: Tx): Promise<TxRejection | undefined> {
  const v = tx.signature[SIGNATURE_LENGTH - 1];
  if (tx.signature.length !== SIGNATURE_LENGTH || (v !== 27 && v !== 28)) {
    return txRejection('INVALID_SIGNATURE', `signature must be ${SIGNATURE_LENGTH} bytes r‖s‖v with v = 27 or 28`);
  }
  let signer: Fr;
  try {
    signer = await recoverFeePayer(tx);
  } catch (err) {
    return txRejection('INVALID_SIGNATURE', `invalid signature: ${errorMessage(err)}`);
  }
  if (signer !== tx.feePayer) {
    return txRejection(
      'INVALID_SIGNATURE',
      `signature is by L2 address ${frToHex(signer)}, not by the fee payer ${frToHex(tx.feePayer)}`,
    );
  }
  return undefined;
}

/**
 * The L2 addresses whose fee juice balance a tx touches, distinct, in this order: fee payer, each action's `to` (in
 * action order), fee recipient. Their balance slots are the tx effect's public data writes, in the same order.
 * Without a fee recipient (the pool, before the block is known) it is left out.
 */
export function touchedAccounts(tx: UnsignedTx, feeRecipient?: Fr): Fr[] {
  const all = [tx.feePayer, ...tx.actions.map(a => a.to), ...(feeRecipient === undefined ? [] : [feeRecipient])];
  return [...new Set(all)];
}

/** Encoded size of the tx's effect (its `daGas`): it depends only on counts, not on the values. */
export function txEffectSizeOf(tx: UnsignedTx, publicDataWrites: number): number {
  const claims = tx.actions.filter(a => a.type === 'claim').length;
  const shape: TxEffect = {
    txHash: 0n as Fr,
    transactionFee: 0n,
    noteHashes: tx.noteHashes,
    nullifiers: new Array<Fr>(tx.nullifiers.length + claims),
    l2ToL1Messages: new Array<Fr>(tx.l2ToL1Messages.length),
    publicDataWrites: new Array<PublicDataWrite>(publicDataWrites),
    publicLogs: tx.publicLogs,
  };
  return txEffectSize(shape);
}

/**
 * Gas a tx uses in a block whose fee recipient is `feeRecipient`. Without one, the worst case (a fee recipient
 * distinct from every touched account): what a wallet should budget and what the pool checks.
 */
export function computeGasUsed(tx: UnsignedTx, feeRecipient?: Fr): Gas {
  const writes = touchedAccounts(tx, feeRecipient).length + (feeRecipient === undefined ? 1 : 0);
  return computeTxGas(txEffectSizeOf(tx, writes), txGasCounts(tx));
}

/** Checks `gas` against the tx's gas limits and, when given, its maximum fees against the block's base fees. */
export function checkTxGas(tx: UnsignedTx, gas: Gas, baseFees?: GasFees): TxRejection | undefined {
  const { gasLimits, maxFeesPerGas } = tx.gasSettings;
  if (!gasWithinLimits(gas, gasLimits)) {
    return txRejection(
      'GAS_LIMIT',
      `tx uses ${gas.daGas} DA gas and ${gas.l2Gas} L2 gas, above its gas limits of ${gasLimits.daGas} DA gas and ` +
        `${gasLimits.l2Gas} L2 gas`,
    );
  }
  if (baseFees !== undefined && !feesCover(maxFeesPerGas, baseFees)) {
    return txRejection(
      'FEE_TOO_LOW',
      `tx max fees per gas (DA ${maxFeesPerGas.feePerDaGas}, L2 ${maxFeesPerGas.feePerL2Gas}) are below the ` +
        `block's base fees (DA ${baseFees.feePerDaGas}, L2 ${baseFees.feePerL2Gas})`,
    );
  }
  return undefined;
}

/**
 * Every check that needs no state, in the protocol's order: chain, version, expiry against `ctx.blockNumber`,
 * counts and size, signature, `gas` within the limits, and (when given) the max fees against `baseFees`. The pool
 * runs it for the next block with the worst-case gas; the builder and the attesters for the block, with its gas.
 * `checkSignature` lets the builder pass signature results it checked for a batch of txs at once; the order of the
 * checks (and so the rejection reported) is the same either way.
 */
export async function checkTxStateless(
  tx: Tx,
  ctx: TxStaticContext,
  gas: Gas,
  baseFees?: GasFees,
  checkSignature: SignatureCheck = checkTxSignature,
): Promise<TxRejection | undefined> {
  return checkTxStatic(tx, ctx) ?? (await checkSignature(tx)) ?? checkTxGas(tx, gas, baseFees);
}

/** A signature check: `checkTxSignature`, or a lookup of its results computed ahead (the block builder's batch). */
export type SignatureCheck = (tx: Tx) => Promise<TxRejection | undefined> | TxRejection | undefined;

/** Checks that a tx's own nullifiers are distinct: returns the first repeated one. */
export function firstRepeated(values: readonly Fr[]): Fr | undefined {
  const seen = new Set<Fr>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return undefined;
}
