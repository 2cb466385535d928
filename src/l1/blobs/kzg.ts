import cKzg from 'c-kzg';
import { defineKzg, type Kzg } from 'viem';

let kzg: Kzg | undefined;

/**
 * The KZG implementation for viem, backed by c-kzg with its bundled (mainnet) trusted setup. The setup is loaded on
 * the first call only: c-kzg keeps it process-wide and refuses to load it twice. (viem's `setupKzg` helper does not
 * work with c-kzg 4, hence `loadTrustedSetup(0)` and `defineKzg` here.)
 */
export function getKzg(): Kzg {
  if (kzg) return kzg;
  try {
    cKzg.loadTrustedSetup(0);
  } catch (err) {
    // Loaded already by someone else in this process: that is fine, anything else is not.
    if (!/already loaded/i.test(err instanceof Error ? err.message : String(err))) throw err;
  }
  kzg = defineKzg({
    blobToKzgCommitment: blob => cKzg.blobToKzgCommitment(blob),
    computeBlobKzgProof: (blob, commitment) => cKzg.computeBlobKzgProof(blob, commitment),
  });
  return kzg;
}

/** The all-zero blob commits to the point at infinity (compressed: `0xc0` and 47 zero bytes), and so does its proof. */
const ZERO_BLOB_G1 = Uint8Array.from([0xc0, ...new Uint8Array(47)]);

/**
 * KZG for the all-zero blob only, without the trusted setup: lets a blob transaction go out before this process has
 * loaded it (the local network's warm-up). Wrong for any other blob.
 */
export const ZERO_BLOB_KZG: Kzg = defineKzg({
  blobToKzgCommitment: () => ZERO_BLOB_G1,
  computeBlobKzgProof: () => ZERO_BLOB_G1,
});
