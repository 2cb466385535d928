import type { Address, Hex } from 'viem';

import { asL2BlockNumber, asSlot, asUnixSeconds } from '../../foundation/types/branded.js';
import {
  feeJuiceClaimMessageLeaf,
  hashToFr,
  l2AddressFromPrivateKey,
  signTx,
  type Fr,
  type GlobalVariables,
  type Tx,
  type UnsignedTx,
} from '../../types/index.js';
import type { TxExecutionContext } from '../tx/index.js';

/** L1 chain id of the test network. */
export const TEST_CHAIN_ID = 31337n;
/** Rollup version of the test network. */
export const TEST_VERSION = 1n;
/** A stand-in `FeeJuicePortal` address. */
export const TEST_PORTAL: Address = '0x00000000000000000000000000000000000f33d5';
/** Test keys and their L2 addresses. */
export const ALICE_KEY: Hex = `0x${'11'.repeat(32)}`;
export const BOB_KEY: Hex = `0x${'22'.repeat(32)}`;
export const ALICE = l2AddressFromPrivateKey(ALICE_KEY);
export const BOB = l2AddressFromPrivateKey(BOB_KEY);
/** The fee recipient used by `testGlobals`. */
export const FEE_RECIPIENT = 0xfeen as Fr;

/** Globals of block `blockNumber` on the test network (base fees 1 per DA gas, 2 per L2 gas). */
export function testGlobals(blockNumber: bigint, overrides: Partial<GlobalVariables> = {}): GlobalVariables {
  return {
    chainId: TEST_CHAIN_ID,
    version: TEST_VERSION,
    blockNumber: asL2BlockNumber(blockNumber),
    slotNumber: asSlot(blockNumber + 10n),
    timestamp: asUnixSeconds(1_700_000_000n + blockNumber * 8n),
    coinbase: '0x00000000000000000000000000000000000c0b1e',
    feeRecipient: FEE_RECIPIENT,
    gasFees: { feePerDaGas: 1n, feePerL2Gas: 2n },
    ...overrides,
  };
}

let counter = 0;
/** A fresh field element, distinct on every call (for nullifiers). */
export function freshFr(): Fr {
  counter++;
  return hashToFr(Buffer.from(`fresh-${counter}`));
}

/** A valid tx from `key` (fresh nullifier, generous gas settings), with `overrides` applied before signing. */
export async function makeTx(key: Hex, overrides: Partial<UnsignedTx> = {}): Promise<Tx> {
  const tx: UnsignedTx = {
    chainId: TEST_CHAIN_ID,
    version: TEST_VERSION,
    expiryBlockNumber: asL2BlockNumber(1000n),
    feePayer: l2AddressFromPrivateKey(key),
    gasSettings: {
      gasLimits: { daGas: 100_000, l2Gas: 1_000_000 },
      maxFeesPerGas: { feePerDaGas: 10n, feePerL2Gas: 10n },
    },
    nullifiers: [freshFr()],
    noteHashes: [],
    l2ToL1Messages: [],
    publicLogs: [],
    actions: [],
    ...overrides,
  };
  return signTx(tx, key);
}

/** The L1→L2 leaf of a fee juice deposit to `to` at `leafIndex` on the test network. */
export function depositLeaf(to: Fr, amount: bigint, secret: Fr, leafIndex: bigint): Fr {
  return feeJuiceClaimMessageLeaf({
    portal: TEST_PORTAL,
    l1ChainId: TEST_CHAIN_ID,
    version: TEST_VERSION,
    to,
    amount,
    secret,
    globalIndex: leafIndex,
  });
}

/** The executor context of block `blockNumber` on the test network. */
export function testExecutionContext(
  blockNumber: bigint,
  overrides: Partial<GlobalVariables> = {},
): TxExecutionContext {
  return { globals: testGlobals(blockNumber, overrides), l1ChainId: TEST_CHAIN_ID, feeJuicePortal: TEST_PORTAL };
}
