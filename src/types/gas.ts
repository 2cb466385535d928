import type { GasFees } from './header.js';

/** Amounts of gas in the two dimensions (each a `u32`). */
export interface Gas {
  daGas: number;
  l2Gas: number;
}

/** What a tx is willing to spend: gas limits and maximum fees per unit of gas. */
export interface GasSettings {
  gasLimits: Gas;
  maxFeesPerGas: GasFees;
}

/** Fixed L2 gas of every tx. */
export const L2_GAS_PER_TX = 10_000;
/** L2 gas per nullifier and per note hash of the tx. */
export const L2_GAS_PER_NOTE_HASH_OR_NULLIFIER = 1_000;
/** L2 gas per L2→L1 message. */
export const L2_GAS_PER_L2_TO_L1_MSG = 5_000;
/** L2 gas per public log field. */
export const L2_GAS_PER_LOG_FIELD = 100;
/** L2 gas per protocol action (it pays for the action's own nullifier and writes). */
export const L2_GAS_PER_ACTION = 20_000;

/** The counts of a tx that its L2 gas depends on (all counted on the tx, not on its effect). */
export interface TxGasCounts {
  nullifiers: number;
  noteHashes: number;
  l2ToL1Messages: number;
  /** Fields over all public logs. */
  logFields: number;
  actions: number;
}

/**
 * Gas used by a tx: `daGas` = the encoded size of its `TxEffect` in bytes; `l2Gas = 10_000 + 1_000·(nullifiers +
 * noteHashes) + 5_000·l2ToL1Messages + 100·logFields + 20_000·actions`, counted on the tx.
 */
export function computeTxGas(txEffectSize: number, counts: TxGasCounts): Gas {
  return {
    daGas: txEffectSize,
    l2Gas:
      L2_GAS_PER_TX +
      L2_GAS_PER_NOTE_HASH_OR_NULLIFIER * (counts.nullifiers + counts.noteHashes) +
      L2_GAS_PER_L2_TO_L1_MSG * counts.l2ToL1Messages +
      L2_GAS_PER_LOG_FIELD * counts.logFields +
      L2_GAS_PER_ACTION * counts.actions,
  };
}

/** Fee for `gas` at `fees`: `daGas·feePerDaGas + l2Gas·feePerL2Gas`. */
export function computeFee(gas: Gas, fees: GasFees): bigint {
  return BigInt(gas.daGas) * fees.feePerDaGas + BigInt(gas.l2Gas) * fees.feePerL2Gas;
}

/** Whether `gas` is within `limits` in both dimensions. */
export function gasWithinLimits(gas: Gas, limits: Gas): boolean {
  return gas.daGas <= limits.daGas && gas.l2Gas <= limits.l2Gas;
}

/** Whether `max` is at least `fees` in both dimensions (a tx paying `max` may be included at base fees `fees`). */
export function feesCover(max: GasFees, fees: GasFees): boolean {
  return max.feePerDaGas >= fees.feePerDaGas && max.feePerL2Gas >= fees.feePerL2Gas;
}
