import type { Hex } from 'viem';

import { asL2BlockNumber, asSlot, asUnixSeconds } from '../../foundation/types/branded.js';
import type { GasSettings } from '../gas.js';
import type { AppendOnlyTreeSnapshot, BlockHeader, GasFees } from '../header.js';
import { l2AddressFromPrivateKey, signTx } from '../keys.js';
import type { L2Block } from '../l2-block.js';
import {
  MAX_ACTIONS_PER_TX,
  MAX_L2_TO_L1_MSGS_PER_TX,
  MAX_NOTE_HASHES_PER_TX,
  MAX_NULLIFIERS_PER_TX,
  MAX_NULLIFIERS_PER_TX_EFFECT,
  MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT,
  MAX_PUBLIC_LOG_FIELDS,
  MAX_PUBLIC_LOGS_PER_TX,
} from '../limits.js';
import type { ProtocolAction, Tx, UnsignedTx } from '../tx.js';
import type { TxEffect } from '../tx-effect.js';
import type { TestRandom } from './random.js';

/** `max` items when `full`, else a random count in `[min, max]` (biased small so most instances stay short). */
function count(rng: TestRandom, min: number, max: number, full: boolean): number {
  if (full) return max;
  return rng.chance(0.2) ? rng.range(min, max) : rng.range(min, Math.min(max, min + 3));
}

/** Options of the random factories. */
export interface RandomOptions {
  /** Fill every vector to its maximum (the largest valid instance). */
  full?: boolean;
}

/** Random `GasFees` (`u128`s). */
export function randomGasFees(rng: TestRandom): GasFees {
  return { feePerDaGas: rng.uint(128), feePerL2Gas: rng.uint(128) };
}

/** Random `GasSettings`. */
export function randomGasSettings(rng: TestRandom): GasSettings {
  return {
    gasLimits: { daGas: rng.u32(), l2Gas: rng.u32() },
    maxFeesPerGas: randomGasFees(rng),
  };
}

/** A random protocol action of either kind. */
export function randomProtocolAction(rng: TestRandom): ProtocolAction {
  if (rng.chance(0.5)) {
    return { type: 'claim', to: rng.fr(), amount: rng.uint(128), secret: rng.fr(), leafIndex: rng.uint(64) };
  }
  return { type: 'transfer', to: rng.fr(), amount: rng.uint(128) };
}

/** A random unsigned tx within every limit. */
export function randomUnsignedTx(rng: TestRandom, opts: RandomOptions = {}): UnsignedTx {
  const full = opts.full ?? false;
  return {
    chainId: rng.uint(64),
    version: rng.uint(64),
    expiryBlockNumber: asL2BlockNumber(rng.uint(64)),
    feePayer: rng.fr(),
    gasSettings: randomGasSettings(rng),
    nullifiers: rng.array(count(rng, 1, MAX_NULLIFIERS_PER_TX, full), () => rng.fr()),
    noteHashes: rng.array(count(rng, 0, MAX_NOTE_HASHES_PER_TX, full), () => rng.fr()),
    l2ToL1Messages: rng.array(count(rng, 0, MAX_L2_TO_L1_MSGS_PER_TX, full), () => ({
      recipient: rng.address(),
      content: rng.fr(),
    })),
    publicLogs: rng.array(count(rng, 0, MAX_PUBLIC_LOGS_PER_TX, full), () =>
      rng.array(count(rng, 0, MAX_PUBLIC_LOG_FIELDS, full), () => rng.fr()),
    ),
    actions: rng.array(count(rng, 0, MAX_ACTIONS_PER_TX, full), () => randomProtocolAction(rng)),
  };
}

/** A random tx with a random (not valid) signature of the right shape: for codec tests. */
export function randomTx(rng: TestRandom, opts: RandomOptions = {}): Tx {
  const signature = rng.bytes(65);
  signature[64] = rng.pick([27, 28]);
  return { ...randomUnsignedTx(rng, opts), signature };
}

/** A random tx whose fee payer is `privateKey`'s L2 address, signed with it. */
export async function randomSignedTx(rng: TestRandom, privateKey: Hex, opts: RandomOptions = {}): Promise<Tx> {
  return signTx({ ...randomUnsignedTx(rng, opts), feePayer: l2AddressFromPrivateKey(privateKey) }, privateKey);
}

/** A random tx effect within every limit. */
export function randomTxEffect(rng: TestRandom, opts: RandomOptions = {}): TxEffect {
  const full = opts.full ?? false;
  return {
    txHash: rng.fr(),
    transactionFee: rng.uint(128),
    noteHashes: rng.array(count(rng, 0, MAX_NOTE_HASHES_PER_TX, full), () => rng.fr()),
    nullifiers: rng.array(count(rng, 1, MAX_NULLIFIERS_PER_TX_EFFECT, full), () => rng.fr()),
    l2ToL1Messages: rng.array(count(rng, 0, MAX_L2_TO_L1_MSGS_PER_TX, full), () => rng.fr()),
    publicDataWrites: rng.array(count(rng, 0, MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT, full), () => ({
      leafSlot: rng.fr(),
      value: rng.fr(),
    })),
    publicLogs: rng.array(count(rng, 0, MAX_PUBLIC_LOGS_PER_TX, full), () =>
      rng.array(count(rng, 0, MAX_PUBLIC_LOG_FIELDS, full), () => rng.fr()),
    ),
  };
}

/** A random append-only tree snapshot. */
export function randomSnapshot(rng: TestRandom): AppendOnlyTreeSnapshot {
  return { root: rng.fr(), nextAvailableLeafIndex: rng.u32() };
}

/** A random header; `numTxs` is random unless given. */
export function randomHeader(rng: TestRandom, numTxs = rng.range(0, 100)): BlockHeader {
  return {
    lastArchive: randomSnapshot(rng),
    contentCommitment: { numTxs, blobsHash: rng.fr(), inHash: rng.fr(), outHash: rng.fr() },
    state: {
      l1ToL2MessageTree: randomSnapshot(rng),
      noteHashTree: randomSnapshot(rng),
      nullifierTree: randomSnapshot(rng),
      publicDataTree: randomSnapshot(rng),
    },
    globalVariables: {
      chainId: rng.uint(256),
      version: rng.uint(256),
      blockNumber: asL2BlockNumber(rng.uint(256)),
      slotNumber: asSlot(rng.uint(256)),
      timestamp: asUnixSeconds(rng.uint(256)),
      coinbase: rng.address(),
      feeRecipient: rng.fr(),
      gasFees: randomGasFees(rng),
    },
    totalFees: rng.uint(256),
    totalManaUsed: rng.uint(256),
  };
}

/** A random block of `txs` tx effects (default 0..4) whose header's `numTxs` matches its body. */
export function randomL2Block(rng: TestRandom, txs = rng.range(0, 4), opts: RandomOptions = {}): L2Block {
  const body = rng.array(txs, () => randomTxEffect(rng, opts));
  return { header: randomHeader(rng, body.length), archive: randomSnapshot(rng), body };
}
