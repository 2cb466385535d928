import { bytesToHex, zeroAddress, type Hex } from 'viem';

import { computeRootFromPath, zeroHashes } from '../foundation/crypto/index.js';
import { asL2BlockNumber, asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { nullifierLeafType, publicDataLeafType } from '../merkle/index.js';
import { FR_ZERO, frFromBuffer, frToBuffer, type Fr } from '../types/fr.js';
import { HEADER_LENGTH, type AppendOnlyTreeSnapshot, type BlockHeader, type StateReference } from '../types/header.js';
import { headerHash } from '../types/header-codec.js';
import { TREE_HEIGHTS } from './types.js';

/** Height of the archive tree (leaf i = header hash of block i). */
export const ARCHIVE_TREE_HEIGHT = TREE_HEIGHTS.archive;

/** Size in bytes of an ABI-encoded block header (docs/l1-contracts.md). */
export const HEADER_SIZE = HEADER_LENGTH;

// Everything below is pure (no store): `aztec deploy-l1-contracts` needs the genesis archive root before any node
// has a data directory. A fresh `WorldState` must reproduce these values exactly (tested).

const emptyRoot = (height: number): Fr => frFromBuffer(zeroHashes(height)[height]!);

/** Root of a tree of `height` holding only `leaf` at index 0. */
function rootWithFirstLeaf(leaf: Buffer, height: number): Fr {
  return frFromBuffer(computeRootFromPath(leaf, 0n, zeroHashes(height).slice(0, height)));
}

/** Snapshot of an empty append-only tree of `height`. */
export function emptyTreeSnapshot(height: number): AppendOnlyTreeSnapshot {
  return { root: emptyRoot(height), nextAvailableLeafIndex: 0 };
}

/**
 * The trees' state at genesis: note hash and L1→L2 message trees empty; nullifier and public data trees each
 * prefilled with the one leaf of key 0 at index 0.
 */
export function genesisStateReference(): StateReference {
  return {
    l1ToL2MessageTree: emptyTreeSnapshot(TREE_HEIGHTS.l1ToL2Message),
    noteHashTree: emptyTreeSnapshot(TREE_HEIGHTS.noteHash),
    nullifierTree: {
      root: rootWithFirstLeaf(nullifierLeafType.hash(nullifierLeafType.prefill()), TREE_HEIGHTS.nullifier),
      nextAvailableLeafIndex: 1,
    },
    publicDataTree: {
      root: rootWithFirstLeaf(publicDataLeafType.hash(publicDataLeafType.prefill()), TREE_HEIGHTS.publicData),
      nextAvailableLeafIndex: 1,
    },
  };
}

/**
 * The genesis header (block 0): `lastArchive` = the empty archive tree, the genesis state, and every other field
 * zero.
 */
export function genesisHeader(): BlockHeader {
  return {
    lastArchive: emptyTreeSnapshot(ARCHIVE_TREE_HEIGHT),
    contentCommitment: { numTxs: 0, blobsHash: FR_ZERO, inHash: FR_ZERO, outHash: FR_ZERO },
    state: genesisStateReference(),
    globalVariables: {
      chainId: 0n,
      version: 0n,
      blockNumber: asL2BlockNumber(0),
      slotNumber: asSlot(0),
      timestamp: asUnixSeconds(0),
      coinbase: zeroAddress,
      feeRecipient: FR_ZERO,
      gasFees: { feePerDaGas: 0n, feePerL2Gas: 0n },
    },
    totalFees: 0n,
    totalManaUsed: 0n,
  };
}

/** Header hash of block 0, `sha256ToField(encodeHeader(genesisHeader()))`, as 32 bytes: archive leaf 0. */
export function genesisHeaderHash(): Buffer {
  return frToBuffer(headerHash(genesisHeader()));
}

/** The archive tree after genesis: leaf 0 = the genesis header hash, next index 1. */
export function genesisArchiveSnapshot(): AppendOnlyTreeSnapshot {
  return { root: rootWithFirstLeaf(genesisHeaderHash(), ARCHIVE_TREE_HEIGHT), nextAvailableLeafIndex: 1 };
}

/** Root of the archive tree that holds only the genesis header hash at leaf 0: the Rollup's `archiveAt(0)`. */
export function genesisArchiveRoot(): Hex {
  return bytesToHex(frToBuffer(genesisArchiveSnapshot().root));
}
