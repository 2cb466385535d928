import type { GasFees } from '../../types/header.js';

// The node's copy of contracts/src/libraries/FeeLib.sol, the same integer math (docs/fees.md). The Rollup's
// `propose` reverts on any other result, so test/integration/fees.test.ts checks it against the contract's view.

/** L1 gas of a `propose` (execution, not blobs) that the L2 gas of a block pays for. */
export const L1_GAS_PER_BLOCK = 300_000n;
/** Blob gas per unit of DA gas: one byte of a blob costs one unit of blob gas. */
export const BLOB_GAS_PER_DA_GAS = 1n;
/** Mana (L2 gas) a block is expected to use; a block above it raises the congestion multiplier. */
export const MANA_TARGET = 1_000_000n;
/** The congestion multiplier at zero excess mana: fixed-point 1 (9 decimals). */
export const MIN_CONGESTION_MULTIPLIER = 1_000_000_000n;
/** Excess mana that multiplies fees by e; a block at twice the target raises them by ~12.5%. */
export const CONGESTION_UPDATE_FRACTION = 8_500_000n;
/** Excess mana is capped here (a multiplier of e^64), so the fee math never overflows on L1. */
export const MAX_EXCESS_MANA = 64n * CONGESTION_UPDATE_FRACTION;

const MAX_U128 = (1n << 128n) - 1n;
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** What the base fees of a block are computed from (the Rollup's `FeeInputs`). */
export interface FeeInputs {
  /** L1 base fee of the snapshot that prices the block's slot, in wei per gas. */
  l1BaseFee: bigint;
  /** L1 blob base fee of that snapshot, in wei per blob gas. */
  blobFee: bigint;
  /** Mana used above target, accumulated up to the block's parent. */
  excessMana: bigint;
}

/** EIP-4844's integer approximation of `factor · e^(numerator / denominator)`. */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n;
  let output = 0n;
  let accumulator = factor * denominator;
  while (accumulator > 0n) {
    output += accumulator;
    accumulator = (accumulator * numerator) / (denominator * i);
    i += 1n;
  }
  return output / denominator;
}

/** The congestion multiplier (9 decimals) at `excessMana`. */
export function congestionMultiplier(excessMana: bigint): bigint {
  return fakeExponential(MIN_CONGESTION_MULTIPLIER, excessMana, CONGESTION_UPDATE_FRACTION);
}

/** Excess mana after a block that used `manaUsed` on a parent with `parentExcess`: floored at 0, capped. */
export function excessManaAfter(parentExcess: bigint, manaUsed: bigint): bigint {
  const total = parentExcess + min(manaUsed, MAX_EXCESS_MANA + MANA_TARGET);
  return total <= MANA_TARGET ? 0n : min(total - MANA_TARGET, MAX_EXCESS_MANA);
}

/**
 * Base fees of a block: per L2 gas, `ceil(L1_GAS_PER_BLOCK · l1BaseFee / MANA_TARGET) · congestion / 1e9`; per DA
 * gas, `blobFee · BLOB_GAS_PER_DA_GAS`. Each capped at the `u128` maximum.
 */
export function computeBaseFees(inputs: FeeInputs): GasFees {
  const excess = min(inputs.excessMana, MAX_EXCESS_MANA);
  const l1BaseFee = min(inputs.l1BaseFee, MAX_U128);
  const blobFee = min(inputs.blobFee, MAX_U128);
  const manaCost = (L1_GAS_PER_BLOCK * l1BaseFee + MANA_TARGET - 1n) / MANA_TARGET;
  const l2 = (manaCost * congestionMultiplier(excess)) / MIN_CONGESTION_MULTIPLIER;
  return { feePerDaGas: min(blobFee * BLOB_GAS_PER_DA_GAS, MAX_U128), feePerL2Gas: min(l2, MAX_U128) };
}
