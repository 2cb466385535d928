/**
 * The task a `BlobVerifier` worker thread runs: the EIP-4844 versioned hash of each blob (c-kzg commitment, then
 * sha256). Self-contained on purpose (c-kzg and node:crypto only): it loads fast in a fresh worker, from `dist/` as
 * compiled JS and from the TypeScript sources under tsx or vitest alike.
 */
import { createHash } from 'node:crypto';

import cKzg from 'c-kzg';

let setupLoaded = false;

/** Loads c-kzg's bundled trusted setup once per thread (on first use: importing this module costs nothing). */
function loadSetup(): void {
  if (setupLoaded) return;
  try {
    cKzg.loadTrustedSetup(0);
  } catch (err) {
    // Loaded already on this thread (by `getKzg`): that is fine, anything else is not.
    if (!/already loaded/i.test(err instanceof Error ? err.message : String(err))) throw err;
  }
  setupLoaded = true;
}

/** One task: blobs in, one versioned hash (or an `(invalid blob: …)` reason) per blob out. */
export interface KzgTask {
  blobs: Uint8Array[];
}

/** `0x01 ‖ sha256(commitment)[1..32]` of `blob`, or why c-kzg refused it (wrong size, element beyond the modulus). */
export function blobVersionedHash(blob: Uint8Array): string {
  loadSetup();
  let commitment: Uint8Array;
  try {
    commitment = cKzg.blobToKzgCommitment(blob);
  } catch (err) {
    return `(invalid blob: ${err instanceof Error ? err.message : String(err)})`;
  }
  const digest = createHash('sha256').update(commitment).digest();
  digest[0] = 0x01;
  return `0x${digest.toString('hex')}`;
}

export default function versionedHashes(task: KzgTask): string[] {
  return task.blobs.map(blobVersionedHash);
}
