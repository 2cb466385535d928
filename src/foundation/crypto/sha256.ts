import { createHash } from 'node:crypto';

let hashes = 0;

/** How many sha256 digests this process has computed through `sha256`/`sha256ToField` (benchmarks read it). */
export function sha256Count(): number {
  return hashes;
}

/** sha256 of the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Buffer {
  hashes++;
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * sha256 reduced to a field element: the digest with its most significant byte zeroed, so the value fits the
 * rollup's field and the same hash is cheap to recompute on L1 (`Hash.sha256ToField` in contracts/).
 */
export function sha256ToField(...parts: Uint8Array[]): Buffer {
  const d = sha256(...parts);
  d[0] = 0;
  return d;
}
