import type { Address } from 'viem';

import type { L2BlockNumber, Slot, UnixSeconds } from '../foundation/types/branded.js';
import type { Fr } from './fr.js';

/** Root and next free leaf index of an append-only tree (`struct AppendOnlyTreeSnapshot`). */
export interface AppendOnlyTreeSnapshot {
  root: Fr;
  /** A `uint32` on L1. */
  nextAvailableLeafIndex: number;
}

/** What a block commits to (`struct ContentCommitment`). */
export interface ContentCommitment {
  /** Body length. A `uint256` on L1; this node only accepts values `< 2^32`. */
  numTxs: number;
  /** `sha256ToField(versionedHash_0 ‖ … ‖ versionedHash_n)` of the body's blobs. */
  blobsHash: Fr;
  /** The Inbox root consumed by this block. */
  inHash: Fr;
  /** Root of the block's L2→L1 message tree (`computeOutHash`). */
  outHash: Fr;
}

/** The world state trees after the block (`struct StateReference`). */
export interface StateReference {
  l1ToL2MessageTree: AppendOnlyTreeSnapshot;
  noteHashTree: AppendOnlyTreeSnapshot;
  nullifierTree: AppendOnlyTreeSnapshot;
  publicDataTree: AppendOnlyTreeSnapshot;
}

/** Fees per unit of gas (`struct GasFees`, two `uint128`): a block's base fees, or a tx's maximum fees. */
export interface GasFees {
  feePerDaGas: bigint;
  feePerL2Gas: bigint;
}

/** Block-wide values (`struct GlobalVariables`). The integers are `uint256` on L1. */
export interface GlobalVariables {
  chainId: bigint;
  version: bigint;
  blockNumber: L2BlockNumber;
  slotNumber: Slot;
  timestamp: UnixSeconds;
  /** L1 address of the proposer's reward recipient. */
  coinbase: Address;
  /** L2 address credited with the block's fees. */
  feeRecipient: Fr;
  gasFees: GasFees;
}

/** An L2 block header (`struct Header` in docs/l1-contracts.md): 800 bytes as `abi.encode(Header)`. */
export interface BlockHeader {
  /** The archive tree before this block. */
  lastArchive: AppendOnlyTreeSnapshot;
  contentCommitment: ContentCommitment;
  state: StateReference;
  globalVariables: GlobalVariables;
  /** `uint256`. */
  totalFees: bigint;
  /** `uint256`. */
  totalManaUsed: bigint;
}

/** Byte length of an encoded header: 25 ABI words. */
export const HEADER_LENGTH = 800;
