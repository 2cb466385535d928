import { bytesToHex, type Hex } from 'viem';

import { sha256ToField, zeroHashes } from '../foundation/crypto/index.js';

/** Height of the archive tree (leaf i = header hash of block i). */
export const ARCHIVE_TREE_HEIGHT = 29;

/** Size in bytes of an ABI-encoded block header (docs/l1-contracts.md). */
export const HEADER_SIZE = 25 * 32;

/**
 * Header hash of block 0. Until the world state is built (its trees' genesis roots go into this header), the
 * genesis header is the all-zero header.
 */
export function genesisHeaderHash(): Buffer {
  return sha256ToField(Buffer.alloc(HEADER_SIZE));
}

/** Root of the archive tree that holds only the genesis header hash at leaf 0: the Rollup's `archiveAt(0)`. */
export function genesisArchiveRoot(): Hex {
  const zeros = zeroHashes(ARCHIVE_TREE_HEIGHT);
  let node = genesisHeaderHash();
  for (let level = 0; level < ARCHIVE_TREE_HEIGHT; level++) node = sha256ToField(node, zeros[level]!);
  return bytesToHex(node);
}
