import type { Address, Hex } from 'viem';

import { blobVersionedHashes, bytesToBlobs, computeBlobsHash, USABLE_BYTES_PER_BLOB } from '../../l1/blobs/index.js';
import {
  computeOutHash,
  encodeBlockBody,
  MAX_BLOBS_PER_BLOCK,
  MAX_TX_EFFECTS_PER_BODY,
  MIN_TX_EFFECT_SIZE,
  type AppendOnlyTreeSnapshot,
  type BlockHeader,
  type Fr,
  type GlobalVariables,
  type L2Block,
  type Tx,
  type TxEffect,
} from '../../types/index.js';
import type { WorldStateFork } from '../../world-state/types.js';
import { executeTx, isRejected, type TxRejection } from '../tx/index.js';
import { BlockScratch } from './block-scratch.js';
import { BlockBuilderError } from './errors.js';
import { SignatureBatch } from './signature-batch.js';
import { computeInHash, padL1ToL2Messages } from '../../types/in-hash.js';

/** Size of the body's `u32` tx count. */
const BODY_COUNT_SIZE = 4;
/** Size of the blob payload's `u32` length prefix. */
const BLOB_LENGTH_PREFIX = 4;

/** Inputs of `buildBlock`. */
export interface BuildBlockOptions {
  /** A fork of the world state at the parent block; the block is applied to it (the caller commits or discards). */
  fork: WorldStateFork;
  /** Candidate txs in priority order; drawn lazily, so an iterator over the pool is fine. */
  txs: Iterable<Tx>;
  globals: GlobalVariables;
  /** This block's L1→L2 messages (the Inbox tree of `globals.blockNumber`), at most 16; zero-padded. */
  l1ToL2Messages: readonly Fr[];
  /** The L1 chain id (claim and L2→L1 message leaves commit to it). */
  l1ChainId: bigint;
  /** The `FeeJuicePortal` address. */
  feeJuicePortal: Address;
  /** When given, the fork's archive must be this (the block builds on it); else `LAST_ARCHIVE_MISMATCH`. */
  lastArchive?: AppendOnlyTreeSnapshot;
  /** Most txs in the block (`SEQ_MAX_TX_PER_BLOCK`); default: as many as the body holds. */
  maxTxsPerBlock?: number;
  /** Most blobs of body, 1..6 (default 6). */
  maxBlobs?: number;
  /** Polled before each tx: `true` stops adding txs (a deadline). Leave unset when re-executing a proposal. */
  shouldStop?: () => boolean;
}

/** A tx the builder refused, with why. */
export interface FailedTx {
  tx: Tx;
  rejection: TxRejection;
}

/** A built block and what the publisher needs with it. */
export interface BuiltBlock {
  block: L2Block;
  /** The body packed into EIP-4844 blobs. */
  blobs: Uint8Array[];
  /** Versioned hash of each blob (`blobsHash` is their sha256ToField). */
  versionedHashes: Hex[];
  /** Txs in the block, in body order. */
  included: Tx[];
  /** Txs refused (invalid for this block: drop or re-check them). */
  failed: FailedTx[];
  /**
   * Valid-looking txs left out for now: their effect did not fit in the body, or their max fees are below this
   * block's base fees (they wait in the pool until fees fall). Try them in a later block.
   */
  deferred: Tx[];
  /** Where the build time went. */
  timings: BuildBlockTimings;
}

function checkLimits(opts: BuildBlockOptions): { maxTxs: number; maxBodySize: number } {
  const maxBlobs = opts.maxBlobs ?? MAX_BLOBS_PER_BLOCK;
  if (!Number.isInteger(maxBlobs) || maxBlobs < 1 || maxBlobs > MAX_BLOBS_PER_BLOCK) {
    throw new BlockBuilderError('BAD_LIMIT', `maxBlobs must be 1..${MAX_BLOBS_PER_BLOCK}, got ${maxBlobs}`);
  }
  const maxTxs = opts.maxTxsPerBlock ?? MAX_TX_EFFECTS_PER_BODY;
  if (!Number.isInteger(maxTxs) || maxTxs < 0) {
    throw new BlockBuilderError('BAD_LIMIT', `maxTxsPerBlock must be a non-negative integer, got ${maxTxs}`);
  }
  return {
    maxTxs: Math.min(maxTxs, MAX_TX_EFFECTS_PER_BODY),
    maxBodySize: maxBlobs * USABLE_BYTES_PER_BLOB - BLOB_LENGTH_PREFIX,
  };
}

function checkBase(opts: BuildBlockOptions, lastArchive: AppendOnlyTreeSnapshot): void {
  const { fork, globals } = opts;
  if (globals.blockNumber !== fork.baseBlockNumber + 1n) {
    throw new BlockBuilderError(
      'BLOCK_NUMBER_MISMATCH',
      `cannot build block ${globals.blockNumber} on a fork of block ${fork.baseBlockNumber}`,
      { blockNumber: globals.blockNumber, base: fork.baseBlockNumber },
    );
  }
  const expected = opts.lastArchive;
  if (
    expected &&
    (expected.root !== lastArchive.root || expected.nextAvailableLeafIndex !== lastArchive.nextAvailableLeafIndex)
  ) {
    throw new BlockBuilderError('LAST_ARCHIVE_MISMATCH', 'the fork does not build on the expected archive', {
      expected,
      actual: lastArchive,
    });
  }
}

/** Where a block's build time went, in ms (the bench prints it; the parts add up to about `totalMs`). */
export interface BuildBlockTimings {
  /** Recovering the signers of the txs drawn, in batches before they run. */
  signaturesMs: number;
  /** The txs' checks and state rules on the block's scratch state. */
  executionMs: number;
  /** The block's batch inserts into the five trees and their roots (the state reference). */
  treeInsertsMs: number;
  /** Encoding the body and packing it into blobs. */
  blobEncodingMs: number;
  /** KZG commitments of the blobs, their versioned hashes and `blobsHash`. */
  commitmentsMs: number;
  /** The header: out hash, header hash appended to the archive, the archive root. */
  headerMs: number;
  totalMs: number;
}

/** Txs drawn from the candidates per batch of signature checks: at most the room left, at least this many. */
const MIN_SIGNATURE_BATCH = 8;

/**
 * Builds block `globals.blockNumber` on `fork`: appends its 16 L1→L2 messages, executes the txs in order (skipping
 * refused ones) within `maxTxsPerBlock` and the blob limit, then packs the body into blobs, computes the header
 * (content commitment, state, fees) and appends its hash to the archive. Deterministic: the same fork state and
 * inputs give the same block, which is how a validator re-executes a proposal.
 *
 * Candidates are drawn in batches (as many as the block has room for): their signatures are recovered together
 * first, then they run one by one on a `BlockScratch`, whose writes reach the fork's trees in one batch per tree
 * once the txs are done. Txs drawn but not reached (the block filled or `shouldStop`) are in none of the result's
 * lists, as txs never drawn.
 */
export async function buildBlock(opts: BuildBlockOptions): Promise<BuiltBlock> {
  const t0 = performance.now();
  const { fork, globals } = opts;
  const { maxTxs, maxBodySize } = checkLimits(opts);
  const lastArchive = fork.getArchiveSnapshot();
  checkBase(opts, lastArchive);
  const messages = padL1ToL2Messages(opts.l1ToL2Messages);
  fork.appendL1ToL2Messages(messages);

  const body: TxEffect[] = [];
  const included: Tx[] = [];
  const failed: FailedTx[] = [];
  const deferred: Tx[] = [];
  let bodySize = BODY_COUNT_SIZE;
  let totalFees = 0n;
  let totalManaUsed = 0n;
  const scratch = new BlockScratch(fork);
  const signatures = new SignatureBatch();
  const ctx = {
    globals,
    l1ChainId: opts.l1ChainId,
    feeJuicePortal: opts.feeJuicePortal,
    checkSignature: signatures.check,
  };
  const candidates = opts.txs[Symbol.iterator]();
  let drawn: Tx[] = [];
  let next = 0;
  for (;;) {
    if (body.length >= maxTxs || maxBodySize - bodySize < MIN_TX_EFFECT_SIZE || opts.shouldStop?.()) break;
    if (next === drawn.length) {
      drawn = draw(candidates, Math.max(maxTxs - body.length, MIN_SIGNATURE_BATCH));
      next = 0;
      if (drawn.length === 0) break;
      await signatures.checkAll(drawn);
    }
    const tx = drawn[next++]!;
    const result = await executeTx(scratch, tx, { ...ctx, maxEffectSize: maxBodySize - bodySize });
    if (isRejected(result)) {
      if (result.rejected.code === 'BLOCK_FULL' || result.rejected.code === 'FEE_TOO_LOW') deferred.push(tx);
      else failed.push({ tx, rejection: result.rejected });
      continue;
    }
    body.push(result.effect);
    included.push(tx);
    bodySize += result.gas.daGas;
    totalFees += result.effect.transactionFee;
    totalManaUsed += BigInt(result.gas.l2Gas);
  }
  const t1 = performance.now();

  scratch.flush();
  const state = fork.getStateReference();
  const t2 = performance.now();

  const blobs = bytesToBlobs(encodeBlockBody(body));
  const t3 = performance.now();
  const versionedHashes = blobVersionedHashes(blobs);
  const blobsHash = BigInt(computeBlobsHash(versionedHashes)) as Fr;
  const t4 = performance.now();

  const header: BlockHeader = {
    lastArchive,
    contentCommitment: {
      numTxs: body.length,
      blobsHash,
      inHash: computeInHash(messages),
      outHash: computeOutHash(body.flatMap(e => e.l2ToL1Messages)),
    },
    state,
    globalVariables: globals,
    totalFees,
    totalManaUsed,
  };
  fork.appendArchive(header);
  const block: L2Block = { header, archive: fork.getArchiveSnapshot(), body };
  const t5 = performance.now();
  const timings: BuildBlockTimings = {
    signaturesMs: signatures.elapsedMs,
    executionMs: t1 - t0 - signatures.elapsedMs,
    treeInsertsMs: t2 - t1,
    blobEncodingMs: t3 - t2,
    commitmentsMs: t4 - t3,
    headerMs: t5 - t4,
    totalMs: t5 - t0,
  };
  return { block, blobs, versionedHashes, included, failed, deferred, timings };
}

/** Up to `n` more txs from `candidates`. */
function draw(candidates: Iterator<Tx>, n: number): Tx[] {
  const out: Tx[] = [];
  while (out.length < n) {
    const r = candidates.next();
    if (r.done === true) break;
    out.push(r.value);
  }
  return out;
}
