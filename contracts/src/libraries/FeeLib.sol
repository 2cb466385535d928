// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/**
 * @notice L1 prices as the Rollup recorded them, and the first slot whose base fees they set.
 * @dev A snapshot taken in slot s has `fromSlot = s + 1`; the one taken at deployment has `fromSlot = 0`.
 */
struct L1FeeSnapshot {
  uint64 fromSlot;
  uint128 baseFee;
  uint128 blobFee;
}

/** @notice What the base fees of a block are computed from. */
struct FeeInputs {
  uint256 l1BaseFee;
  uint256 blobFee;
  uint256 excessMana;
}

/**
 * @title FeeLib
 * @notice L2 base fees that follow L1's prices (docs/fees.md is the specification; the node mirrors it in
 *         src/protocol/fees). Per unit of L2 gas (mana): the L1 execution gas of publishing a block at the
 *         snapshot's base fee, shared over the target mana of a block, times a congestion multiplier that grows
 *         exponentially with the mana used above target over recent blocks (as EIP-4844's blob base fee). Per unit
 *         of DA gas (a byte of tx effect): the blob gas of a byte at the snapshot's blob base fee.
 */
library FeeLib {
  /** @notice L1 gas of a `propose` (execution, not blobs) that the L2 gas of a block pays for. */
  uint256 internal constant L1_GAS_PER_BLOCK = 300_000;
  /** @notice Blob gas per unit of DA gas: one byte of a blob costs one unit of blob gas. */
  uint256 internal constant BLOB_GAS_PER_DA_GAS = 1;
  /** @notice Mana (L2 gas) a block is expected to use; a block above it raises the congestion multiplier. */
  uint256 internal constant MANA_TARGET = 1_000_000;
  /** @notice The congestion multiplier at zero excess mana: fixed-point 1 (9 decimals). */
  uint256 internal constant MIN_CONGESTION_MULTIPLIER = 1e9;
  /** @notice Excess mana that multiplies fees by e; a block at twice the target raises them by ~12.5%. */
  uint256 internal constant CONGESTION_UPDATE_FRACTION = 8_500_000;
  /** @notice Excess mana is capped here (a multiplier of e^64), so the fee math can never overflow. */
  uint256 internal constant MAX_EXCESS_MANA = 64 * CONGESTION_UPDATE_FRACTION;

  struct Storage {
    L1FeeSnapshot previous;
    L1FeeSnapshot latest;
    mapping(uint256 blockNumber => uint256) excessManaAfter;
  }

  /** @notice The deployment's snapshot, used from slot 0 until the first snapshot taken in a slot applies. */
  function initialise(Storage storage s) internal {
    L1FeeSnapshot memory first = L1FeeSnapshot(0, uint128(block.basefee), uint128(block.blobbasefee));
    s.previous = first;
    s.latest = first;
  }

  /** @notice Records L1's current prices for slots after `currentSlot`, once per slot; whether it did. */
  function snapshot(Storage storage s, uint256 currentSlot) internal returns (bool) {
    if (s.latest.fromSlot > currentSlot) return false;
    s.previous = s.latest;
    s.latest = L1FeeSnapshot(uint64(currentSlot + 1), uint128(block.basefee), uint128(block.blobbasefee));
    return true;
  }

  /** @notice The snapshot that prices a block in `slot` (from the current slot on; older slots may be overwritten). */
  function snapshotFor(Storage storage s, uint256 slot) internal view returns (L1FeeSnapshot memory) {
    return s.latest.fromSlot <= slot ? s.latest : s.previous;
  }

  /** @notice The inputs of the base fees of a block in `slot` on top of block `parent`. */
  function inputsFor(Storage storage s, uint256 slot, uint256 parent) internal view returns (FeeInputs memory) {
    L1FeeSnapshot memory snap = snapshotFor(s, slot);
    return FeeInputs(snap.baseFee, snap.blobFee, s.excessManaAfter[parent]);
  }

  /** @notice Records the excess mana after `blockNumber`, which used `manaUsed` on top of `blockNumber - 1`. */
  function recordManaUsed(Storage storage s, uint256 blockNumber, uint256 manaUsed) internal {
    s.excessManaAfter[blockNumber] = excessManaAfter(s.excessManaAfter[blockNumber - 1], manaUsed);
  }

  /** @notice `min(MAX_EXCESS_MANA, max(0, parentExcess + manaUsed - MANA_TARGET))`. */
  function excessManaAfter(uint256 parentExcess, uint256 manaUsed) internal pure returns (uint256) {
    // Capped first so that a header claiming absurd mana cannot overflow the sum.
    uint256 used = manaUsed > MAX_EXCESS_MANA + MANA_TARGET ? MAX_EXCESS_MANA + MANA_TARGET : manaUsed;
    uint256 total = parentExcess + used;
    if (total <= MANA_TARGET) return 0;
    uint256 excess = total - MANA_TARGET;
    return excess > MAX_EXCESS_MANA ? MAX_EXCESS_MANA : excess;
  }

  /** @notice `fakeExponential(MIN_CONGESTION_MULTIPLIER, excessMana, CONGESTION_UPDATE_FRACTION)`. */
  function congestionMultiplier(uint256 excessMana) internal pure returns (uint256) {
    return fakeExponential(MIN_CONGESTION_MULTIPLIER, excessMana, CONGESTION_UPDATE_FRACTION);
  }

  /** @notice Base fees (per DA gas, per L2 gas) for the given inputs; each capped at the `uint128` maximum. */
  function baseFees(FeeInputs memory inputs) internal pure returns (uint128 feePerDaGas, uint128 feePerL2Gas) {
    uint256 excess = inputs.excessMana > MAX_EXCESS_MANA ? MAX_EXCESS_MANA : inputs.excessMana;
    uint256 l1BaseFee = _min(inputs.l1BaseFee, type(uint128).max);
    uint256 blobFee = _min(inputs.blobFee, type(uint128).max);
    uint256 manaCost = (L1_GAS_PER_BLOCK * l1BaseFee + MANA_TARGET - 1) / MANA_TARGET;
    uint256 l2 = (manaCost * congestionMultiplier(excess)) / MIN_CONGESTION_MULTIPLIER;
    feePerL2Gas = uint128(_min(l2, type(uint128).max));
    feePerDaGas = uint128(_min(blobFee * BLOB_GAS_PER_DA_GAS, type(uint128).max));
  }

  /** @notice EIP-4844's integer approximation of `factor * e^(numerator / denominator)`. */
  function fakeExponential(uint256 factor, uint256 numerator, uint256 denominator) internal pure returns (uint256) {
    uint256 i = 1;
    uint256 output = 0;
    uint256 accumulator = factor * denominator;
    while (accumulator > 0) {
      output += accumulator;
      accumulator = (accumulator * numerator) / (denominator * i);
      i += 1;
    }
    return output / denominator;
  }

  function _min(uint256 a, uint256 b) private pure returns (uint256) {
    return a < b ? a : b;
  }
}
