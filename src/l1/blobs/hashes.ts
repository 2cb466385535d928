import { bytesToHex, hexToBytes, isHex, type Hex } from 'viem';

import { sha256, sha256ToField } from '../../foundation/crypto/index.js';
import { getKzg } from './kzg.js';
import { BlobHashMismatchError, InvalidBlobInputError } from './errors.js';
import { MAX_BLOBS_PER_BLOCK } from './encoding.js';

/** Version byte of KZG versioned hashes (EIP-4844 `VERSIONED_HASH_VERSION_KZG`). */
export const VERSIONED_HASH_VERSION_KZG = 0x01;

/** The KZG commitment (48 bytes) of each blob. */
export function blobCommitments(blobs: readonly Uint8Array[]): Uint8Array[] {
  const kzg = getKzg();
  return blobs.map(blob => kzg.blobToKzgCommitment(blob));
}

/** EIP-4844 versioned hash of a KZG commitment: `0x01 ‖ sha256(commitment)[1..32]`. */
export function versionedHash(commitment: Uint8Array): Hex {
  const digest = sha256(commitment);
  digest[0] = VERSIONED_HASH_VERSION_KZG;
  return bytesToHex(digest);
}

/** The versioned hash of each blob, in order. */
export function blobVersionedHashes(blobs: readonly Uint8Array[]): Hex[] {
  return blobCommitments(blobs).map(versionedHash);
}

/** `contentCommitment.blobsHash`: `sha256ToField(versionedHash_0 ‖ … ‖ versionedHash_n)`. */
export function computeBlobsHash(versionedHashes: readonly Hex[]): Hex {
  return bytesToHex(sha256ToField(...versionedHashes.map(h => hexToBytes(h))));
}

function checkHash(h: string, i: number): void {
  if (!isHex(h, { strict: true }) || h.length !== 66) {
    throw new InvalidBlobInputError(`versioned hash ${i} is not 32 bytes of hex`, { index: i, value: h });
  }
}

/** The Rollup's `blobInput` for `propose`: `abi.encodePacked(uint8 n, bytes32[n] versionedHashes)`. */
export function encodeBlobInput(versionedHashes: readonly Hex[]): Hex {
  if (versionedHashes.length > MAX_BLOBS_PER_BLOCK) {
    throw new InvalidBlobInputError(`${versionedHashes.length} versioned hashes, at most ${MAX_BLOBS_PER_BLOCK}`);
  }
  versionedHashes.forEach(checkHash);
  const n = versionedHashes.length.toString(16).padStart(2, '0');
  return `0x${n}${versionedHashes.map(h => h.slice(2).toLowerCase()).join('')}`;
}

/** Reads a `blobInput` back into its versioned hashes; throws `InvalidBlobInputError` when the length is wrong. */
export function decodeBlobInput(blobInput: Hex): Hex[] {
  if (!isHex(blobInput, { strict: true }) || blobInput.length < 4) {
    throw new InvalidBlobInputError('not hex with at least the count byte', { blobInput: blobInput.slice(0, 20) });
  }
  const n = parseInt(blobInput.slice(2, 4), 16);
  const expectedLength = 4 + n * 64;
  if (blobInput.length !== expectedLength) {
    throw new InvalidBlobInputError(`count byte says ${n} hashes but ${(blobInput.length - 4) / 2} bytes follow it`, {
      count: n,
    });
  }
  const hashes: Hex[] = [];
  for (let i = 0; i < n; i++) hashes.push(`0x${blobInput.slice(4 + i * 64, 4 + (i + 1) * 64).toLowerCase()}`);
  return hashes;
}

/**
 * Checks that blob `i` commits to `versionedHashes[i]` for every `i` (recomputing the KZG commitment); throws
 * `BlobHashMismatchError` naming the first blob that does not, or when the counts differ.
 */
export function verifyBlobsAgainstHashes(blobs: readonly Uint8Array[], versionedHashes: readonly Hex[]): void {
  const kzg = getKzg();
  const n = Math.max(blobs.length, versionedHashes.length);
  for (let i = 0; i < n; i++) {
    const blob = blobs[i];
    const expected = versionedHashes[i]?.toLowerCase();
    let actual: string | undefined;
    try {
      actual = blob ? versionedHash(kzg.blobToKzgCommitment(blob)) : undefined;
    } catch (err) {
      // c-kzg rejects blobs that are not 131072 bytes or hold a field element beyond the modulus.
      actual = `(invalid blob: ${err instanceof Error ? err.message : String(err)})`;
    }
    if (actual === undefined || expected === undefined || actual !== expected) {
      throw new BlobHashMismatchError(i, expected ?? '(no hash expected)', actual ?? '(no blob)');
    }
  }
}
