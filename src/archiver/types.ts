import type { Hex } from 'viem';

import type { L2BlockNumber } from '../foundation/types/branded.js';
import type { Fr } from '../types/fr.js';
import type { L2Block } from '../types/l2-block.js';

/** Where and how a block was published on L1. */
export interface L1PublishInfo {
  l1BlockNumber: bigint;
  l1BlockHash: Hex;
  l1TxHash: Hex;
  /** Timestamp of the L1 block (unix seconds). */
  l1Timestamp: bigint;
  /** Number of committee signatures the proposal carried. */
  attestations: number;
  /**
   * The committee signatures over the proposal digest, as the propose call carried them (committee order): who
   * attested the block on L1 (the sentinel recovers the signers). Absent for blocks stored before they were kept.
   */
  signatures?: readonly L1Signature[];
}

/** A secp256k1 signature as the Rollup takes it. */
export interface L1Signature {
  v: number;
  r: Hex;
  s: Hex;
}

/** A block with its L1 provenance and header hash. */
export interface PublishedL2Block {
  block: L2Block;
  headerHash: Fr;
  l1: L1PublishInfo;
}

/** How far the archiver scanned L1: the last L1 block whose logs are stored, with its hash (absent at genesis). */
export interface L1SyncPoint {
  l1BlockNumber: bigint;
  l1BlockHash?: Hex;
}

/** One Inbox `MessageSent`: leaf `index - (l2BlockNumber - 1) * 16` of block `l2BlockNumber`'s message tree. */
export interface L1ToL2MessageRecord {
  l2BlockNumber: bigint;
  /** Global index in the L1→L2 message tree. */
  index: bigint;
  leaf: Fr;
  l1BlockNumber: bigint;
  l1BlockHash: Hex;
}

/** Where a tx landed: its block and its position in the block body. */
export interface TxLocation {
  blockNumber: L2BlockNumber;
  index: number;
}

/** Why blocks were removed from the archiver's chain. */
export type UnwindReason = 'l2-prune' | 'l1-reorg' | 'rollback' | 'world-state';

/** What the archiver tells its subscribers (sequencer, tx pool, node API). */
export type ArchiverEvent =
  /** Blocks appended to the chain, in order. */
  | { type: 'blocks-added'; blocks: PublishedL2Block[] }
  /** Blocks above `blockNumber` removed (the new latest block is `blockNumber`). */
  | { type: 'chain-pruned'; blockNumber: L2BlockNumber; removed: L2BlockNumber[]; reason: UnwindReason }
  /** The proven tip moved. */
  | { type: 'chain-proven'; blockNumber: L2BlockNumber }
  /** The finalized tip moved. */
  | { type: 'chain-finalized'; blockNumber: L2BlockNumber };

/** A subscriber; called synchronously, in order, after each change is committed. */
export type ArchiverListener = (event: ArchiverEvent) => void;
