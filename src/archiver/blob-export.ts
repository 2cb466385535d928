import type { Hex } from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import { blobVersionedHashes, bytesToBlobs, computeBlobsHash } from '../l1/blobs/index.js';
import { frToHex } from '../types/fr.js';
import { encodeBlockBody, type L2Block } from '../types/l2-block.js';
import { writeBlobFiles } from './blob-archive.js';
import type { ArchiverStore } from './store.js';

/**
 * The blobs block `block` was published in, rebuilt from its decoded body (the archiver stores bodies, not blobs; the
 * encoding is deterministic), with their versioned hashes. Throws `BLOB_EXPORT_MISMATCH` when the hashes do not
 * give the header's `blobsHash`: the body is then not the one L1 recorded, and must not go into an archive.
 */
export function blobsOfBlock(block: L2Block): { versionedHash: Hex; blob: Uint8Array }[] {
  const blobs = bytesToBlobs(encodeBlockBody(block.body));
  const hashes = blobVersionedHashes(blobs);
  const n = block.header.globalVariables.blockNumber;
  const expected = frToHex(block.header.contentCommitment.blobsHash);
  if (computeBlobsHash(hashes) !== expected) {
    throw new NodeError(
      'BLOB_EXPORT_MISMATCH',
      `block ${n}: the blobs rebuilt from its stored body do not hash to its header's blobsHash ${expected}; the ` +
        'store is damaged (resync this node) and nothing of the block was exported',
      { blockNumber: n },
    );
  }
  return blobs.map((blob, i) => ({ versionedHash: hashes[i]!, blob }));
}

/** What `exportBlobs` did. */
export interface BlobExportResult {
  blocks: number;
  blobs: number;
  /** Files written (blobs already in the archive are kept). */
  written: number;
}

/**
 * Writes the blobs of every stored block (1 to the latest) into the archive directory `out`, one file per blob
 * (`<versionedHash>.blob`), each rebuilt from the stored body and checked against the header's `blobsHash` first.
 * `onBlock` is called after each block (progress).
 */
export async function exportBlobs(
  store: ArchiverStore,
  out: string,
  onBlock?: (n: bigint, latest: bigint) => void,
): Promise<BlobExportResult> {
  const latest = store.getLatestBlockNumber();
  const result: BlobExportResult = { blocks: 0, blobs: 0, written: 0 };
  for (let n = 1n; n <= latest; n++) {
    const block = store.getBlock(n);
    if (!block) continue;
    const blobs = blobsOfBlock(block);
    result.written += await writeBlobFiles(out, blobs);
    result.blobs += blobs.length;
    result.blocks++;
    onBlock?.(n, latest);
  }
  return result;
}
