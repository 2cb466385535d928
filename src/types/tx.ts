import type { Address } from 'viem';

import type { L2BlockNumber } from '../foundation/types/branded.js';
import type { Fr } from './fr.js';
import type { GasSettings, TxGasCounts } from './gas.js';

/** An L2→L1 message a tx sends (its sender is the tx's `feePayer`). */
export interface L2ToL1Message {
  /** L1 address allowed to consume it from the Outbox. */
  recipient: Address;
  content: Fr;
}

/** Claims fee juice bridged from L1 through `FeeJuicePortal` (wire tag 0). */
export interface ClaimAction {
  type: 'claim';
  /** L2 address credited. */
  to: Fr;
  /** A `u128`. */
  amount: bigint;
  /** Preimage of the deposit's `secretHash` (`sha256ToField(secret)`). */
  secret: Fr;
  /** Index of the message in the L1→L2 message tree (the Inbox's global index), a `u64`. */
  leafIndex: bigint;
}

/** Transfers fee juice from the fee payer (wire tag 1). */
export interface TransferAction {
  type: 'transfer';
  to: Fr;
  /** A `u128`. */
  amount: bigint;
}

/** A protocol-level operation of a tx: a tagged union (`u8` tag on the wire). */
export type ProtocolAction = ClaimAction | TransferAction;

/** Wire tags of `ProtocolAction`. */
export const PROTOCOL_ACTION_TAG = { claim: 0, transfer: 1 } as const;

/** A tx before signing: everything the tx hash covers. */
export interface UnsignedTx {
  /** The L1 chain id (`u64`). */
  chainId: bigint;
  /** The rollup version (`u64`). */
  version: bigint;
  /** Only includable in blocks with a number `<=` this (`u64`). */
  expiryBlockNumber: L2BlockNumber;
  /** L2 address paying the fee; the signature must recover to it. */
  feePayer: Fr;
  gasSettings: GasSettings;
  /** 1..64; the first makes the tx unique. */
  nullifiers: Fr[];
  /** 0..64. */
  noteHashes: Fr[];
  /** 0..8. */
  l2ToL1Messages: L2ToL1Message[];
  /** 0..8 logs of 0..32 fields. */
  publicLogs: Fr[][];
  /** 0..4. */
  actions: ProtocolAction[];
}

/** A signed L2 transaction (docs/l2-protocol.md). */
export interface Tx extends UnsignedTx {
  /** 65 bytes `r‖s‖v`, v = 27/28: secp256k1 over the tx hash, by the fee payer's key. */
  signature: Buffer;
}

/** The counts `computeTxGas` needs, taken from a tx. */
export function txGasCounts(tx: UnsignedTx): TxGasCounts {
  return {
    nullifiers: tx.nullifiers.length,
    noteHashes: tx.noteHashes.length,
    l2ToL1Messages: tx.l2ToL1Messages.length,
    logFields: tx.publicLogs.reduce((n, log) => n + log.length, 0),
    actions: tx.actions.length,
  };
}
