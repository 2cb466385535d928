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
