import { encodeAbiParameters, hexToBigInt, keccak256, type Hex } from 'viem';

import type { Epoch, Slot } from '../../foundation/types/branded.js';

const UINT_PAIR = [{ type: 'uint256' }, { type: 'uint256' }] as const;
const UINT_TRIPLE = [{ type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }] as const;

function keccakUint(encoded: Hex): bigint {
  return hexToBigInt(keccak256(encoded));
}

/**
 * Indices into the frozen validator set that form an epoch's committee, in committee order: a partial
 * Fisher–Yates shuffle of `[0, setSize)` driven by `keccak256(abi.encode(seed, i))`, `min(targetSize, setSize)`
 * long. Mirrors the Rollup's sampling exactly (docs/l1-contracts.md).
 */
export function sampleCommitteeIndices(seed: bigint, setSize: number, targetSize: number): number[] {
  const k = Math.min(targetSize, setSize);
  // Only touched positions are stored: the shuffle stays O(k) even for a large validator set.
  const swapped = new Map<number, number>();
  const at = (i: number) => swapped.get(i) ?? i;
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const r = keccakUint(encodeAbiParameters(UINT_PAIR, [seed, BigInt(i)]));
    const j = i + Number(r % BigInt(setSize - i));
    const vi = at(i);
    const vj = at(j);
    swapped.set(i, vj);
    swapped.set(j, vi);
    out.push(vj);
  }
  return out;
}

/** Position in the committee of the proposer of `slot`: `keccak256(abi.encode(epoch, slot, seed)) % size`. */
export function proposerIndex(epoch: Epoch, slot: Slot, seed: bigint, committeeSize: number): number {
  if (committeeSize === 0) throw new Error('an empty committee has no proposer');
  return Number(keccakUint(encodeAbiParameters(UINT_TRIPLE, [epoch, slot, seed])) % BigInt(committeeSize));
}

/** Attestations needed for a committee of `size`: `floor(2n/3) + 1`, none for an empty committee. */
export function quorumSize(size: number): number {
  return size === 0 ? 0 : Math.floor((2 * size) / 3) + 1;
}
