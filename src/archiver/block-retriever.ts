import { hexToBytes, type Hex } from 'viem';

import { NodeError, errorMessage } from '../foundation/errors/index.js';
import { DecodeError } from '../foundation/serialization/index.js';
import type { BlobBlockId } from '../l1/beacon/index.js';
import {
  InvalidBlobInputError,
  MalformedBlobDataError,
  blobsToBytes,
  computeBlobsHash,
  decodeBlobInput,
  type BlobVerifier,
} from '../l1/blobs/index.js';
import { frFromHex, frToHex } from '../types/fr.js';
import { decodeHeader, headerHash } from '../types/header-codec.js';
import { decodeBlockBody } from '../types/l2-block.js';
import { findProposeCall } from '../l1/contracts/index.js';
import { ArchiverError } from './errors.js';
import type { ArchiverL1Reader, L1BlockInfo, ProposedLog } from './l1-reader.js';
import type { PublishedL2Block } from './types.js';

/** Which L2 block the blobs are the body of: sources that serve bodies by block number (peers) need it. */
export interface BlobRequest {
  l2BlockNumber: bigint;
  /** The archive root after the block, as its `L2BlockProposed` event on L1 says. */
  archive: Hex;
}

/**
 * Where block bodies come from: a `BeaconClient`, the blob archive (`BLOB_ARCHIVE_URLS`), peers, the chain of them
 * (`FallbackBlobSource`), or a stand-in in tests.
 */
export interface BlobSource {
  /** The blobs with these versioned hashes, in that order, from the L1 block `block` (L2 block `request`). */
  getBlobs(block: BlobBlockId, expectedVersionedHashes: readonly Hex[], request?: BlobRequest): Promise<Uint8Array[]>;
}

function invalid(log: ProposedLog, reason: string, cause?: unknown): ArchiverError {
  return new ArchiverError(
    'ARCHIVER_INVALID_BLOCK',
    `L2 block ${log.blockNumber} proposed in L1 tx ${log.l1TxHash} is invalid: ${reason}`,
    { blockNumber: log.blockNumber, l1TxHash: log.l1TxHash, l1Block: log.l1BlockNumber },
    cause,
  );
}

/** Decoders throw these on bad published data: the block is invalid, not the node unlucky. */
function isBadData(err: unknown): boolean {
  if (err instanceof DecodeError || err instanceof MalformedBlobDataError || err instanceof InvalidBlobInputError) {
    return true;
  }
  return err instanceof NodeError && (err.code === 'FIELD_OUT_OF_RANGE' || err.code === 'INVALID_FIELD');
}

function decoding<T>(log: ProposedLog, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isBadData(err)) throw invalid(log, `${what}: ${errorMessage(err)}`, err);
    throw err;
  }
}

/**
 * Turns an `L2BlockProposed` log into a block (`l1BlockRead`: the header of its L1 block, read meanwhile): reads the
 * L1 transaction, finds its `propose` call, decodes the header, checks the versioned hashes against the event and the
 * header's `blobsHash`, fetches the blobs, checks each against its versioned hash (on `verifier`'s worker threads) and
 * decodes the body. Throws `ArchiverError` `ARCHIVER_INVALID_BLOCK` when the published data is bad (the caller skips
 * the block); other errors (RPC, beacon) are transient and propagate.
 */
export async function retrieveBlock(
  log: ProposedLog,
  l1BlockRead: L1BlockInfo | Promise<L1BlockInfo>,
  reader: ArchiverL1Reader,
  blobSource: BlobSource,
  verifier: BlobVerifier,
): Promise<PublishedL2Block> {
  const input = await reader.getTxInput(log.l1TxHash);
  const call = findProposeCall(input, log.archive);
  if (!call) throw invalid(log, 'no propose call with the event archive found in its calldata');

  const header = decoding(log, 'header', () => decodeHeader(hexToBytes(call.header)));
  if (header.globalVariables.blockNumber !== log.blockNumber) {
    throw invalid(log, `header says block ${header.globalVariables.blockNumber}`);
  }
  const hashes = decoding(log, 'blob input', () => decodeBlobInput(call.blobInput));
  const eventHashes = log.versionedBlobHashes.map(h => h.toLowerCase());
  if (hashes.length !== eventHashes.length || hashes.some((h, i) => h !== eventHashes[i])) {
    throw invalid(log, 'the blob input does not match the versioned hashes of the event');
  }
  const blobsHash = computeBlobsHash(hashes);
  if (blobsHash !== frToHex(header.contentCommitment.blobsHash)) {
    throw invalid(log, `blobsHash ${frToHex(header.contentCommitment.blobsHash)} but the blobs hash to ${blobsHash}`);
  }

  const l1Block = await l1BlockRead;
  const blobs = await blobSource.getBlobs(
    { number: l1Block.number, hash: l1Block.hash, timestamp: l1Block.timestamp },
    hashes,
    { l2BlockNumber: log.blockNumber, archive: log.archive },
  );
  // A blob source that serves wrong data is the source's fault, not the block's: this throws and is retried. Blobs
  // the beacon client just verified with the same verifier are checked by their bytes, not committed to again.
  await verifier.verify(blobs, hashes);
  const body = decoding(log, 'body', () => decodeBlockBody(blobsToBytes(blobs)));
  if (body.length !== header.contentCommitment.numTxs) {
    throw invalid(log, `header says ${header.contentCommitment.numTxs} txs, the body has ${body.length}`);
  }
  const archiveRoot = decoding(log, 'archive', () => frFromHex(log.archive));
  return {
    block: { header, archive: { root: archiveRoot, nextAvailableLeafIndex: Number(log.blockNumber) + 1 }, body },
    headerHash: headerHash(header),
    l1: {
      l1BlockNumber: log.l1BlockNumber,
      l1BlockHash: log.l1BlockHash,
      l1TxHash: log.l1TxHash,
      l1Timestamp: l1Block.timestamp,
      attestations: call.attestations,
      signatures: call.signatures,
    },
  };
}
