import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';

import { Piscina } from 'piscina';

import { createLogger, type Logger } from '../../foundation/log/index.js';
import { BYTES_PER_BLOB } from './encoding.js';
import { BlobHashMismatchError } from './errors.js';
import { blobVersionedHash, type KzgTask } from './kzg-worker.js';

/** Settings of a `BlobVerifier`. */
export interface BlobVerifierOptions {
  /** Worker threads computing KZG commitments (`ARCHIVER_BLOB_VERIFY_THREADS`); 0: on the calling thread. */
  threads: number;
  /**
   * Verified blobs remembered by versioned hash (default 128), so that one blob is never committed to twice. Each
   * entry keeps the sha256 digest of the blob, not its 128 KiB: the cache holds about 100 bytes a blob.
   */
  cacheSize?: number;
  logger?: Logger;
}

/** How much KZG work a verifier did: commitments computed, and blobs answered from the cache instead. */
export interface BlobVerifierStats {
  computed: number;
  cacheHits: number;
}

/**
 * The worker script next to this module: compiled JS under `dist/`, or the TypeScript source when this module runs
 * from `src/` (tsx, vitest), which a worker loads through tsx's loader (Node 20 has no type stripping).
 */
function workerScript(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(fromSource ? './kzg-worker.ts' : './kzg-worker.js', import.meta.url).href;
  return { filename, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

/**
 * Computes and checks EIP-4844 versioned hashes of blobs, the archiver's main CPU cost (a c-kzg commitment is tens of
 * milliseconds for a full blob). With `threads > 0` and after `start()`, each blob is one task on a `piscina` pool of
 * worker threads, so the blobs of many blocks are committed to on all cores while the next ones are fetched; workers
 * start when first needed (each loads the trusted setup once) and are terminated by `stop()`. Without threads, or
 * when not started, the work runs on the calling thread.
 *
 * A blob is committed to once: the sha256 digests of blobs that hashed to an expected versioned hash are kept (LRU,
 * `cacheSize`), and a blob later presented for that hash is checked by its digest (a fraction of a millisecond), not
 * by recomputing its commitment (tens of milliseconds). Digests rather than the blobs: 128 cached blobs would hold
 * 16 MiB (more when a blob is a view into a larger response buffer), and a caller reusing its buffer could not
 * change what was verified.
 */
export class BlobVerifier {
  private pool: Piscina<KzgTask, string[]> | undefined;
  private readonly verified = new Map<string, Buffer>();
  private readonly cacheSize: number;
  private readonly log: Logger;
  private computed = 0;
  private cacheHits = 0;

  constructor(private readonly opts: BlobVerifierOptions) {
    if (!Number.isInteger(opts.threads) || opts.threads < 0) {
      throw new RangeError(`BlobVerifier threads must be a whole number, got ${opts.threads}`);
    }
    this.cacheSize = opts.cacheSize ?? 128;
    this.log = opts.logger ?? createLogger('l1:blobs');
  }

  /** Worker threads this verifier uses (0: the calling thread). */
  get threads(): number {
    return this.opts.threads;
  }

  /** Opens the worker pool (no-op without threads, or when started). */
  start(): void {
    if (this.pool || this.opts.threads === 0) return;
    const { filename, execArgv } = workerScript();
    this.pool = new Piscina<KzgTask, string[]>({
      filename,
      execArgv,
      minThreads: 0,
      maxThreads: this.opts.threads,
      // Keep warm workers across a following node's slots: a new one reloads the trusted setup.
      idleTimeout: 60_000,
    });
    this.log.debug('Blob verifier started', { threads: this.opts.threads });
  }

  /**
   * Starts every worker now (each loads the trusted setup, about a second of CPU) instead of on the first blobs, by
   * committing to one empty blob on each.
   */
  async warmUp(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    const empty = new Uint8Array(BYTES_PER_BLOB);
    await Promise.all(Array.from({ length: this.opts.threads }, () => pool.run({ blobs: [empty] })));
  }

  /** Terminates the workers; later calls run on the calling thread until `start()` again. */
  async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  /** The pool's live worker threads (none before the first task, or after `stop()`). */
  workerThreads(): readonly Worker[] {
    return this.pool?.threads ?? [];
  }

  stats(): BlobVerifierStats {
    return { computed: this.computed, cacheHits: this.cacheHits };
  }

  /**
   * The versioned hash of each blob, or `(invalid blob: …)` when c-kzg refuses it. A blob equal to the verified blob
   * of one of `expected` is answered from the cache; a computed hash that is in `expected` is cached.
   */
  async versionedHashes(blobs: readonly Uint8Array[], expected: readonly string[] = []): Promise<string[]> {
    const wanted = new Set(expected.map(h => h.toLowerCase()));
    return Promise.all(
      blobs.map(async blob => {
        for (const h of wanted) {
          if (this.isCached(h, blob)) return h;
        }
        const actual = await this.compute(blob);
        if (wanted.has(actual)) this.remember(actual, blob);
        return actual;
      }),
    );
  }

  /**
   * Checks that blob `i` commits to `versionedHashes[i]` for every `i`; throws `BlobHashMismatchError` naming the
   * first blob that does not, or when the counts differ.
   */
  async verify(blobs: readonly Uint8Array[], versionedHashes: readonly string[]): Promise<void> {
    const n = Math.max(blobs.length, versionedHashes.length);
    const actual = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const blob = blobs[i];
        const expected = versionedHashes[i]?.toLowerCase();
        if (!blob) return undefined;
        if (expected !== undefined && this.isCached(expected, blob)) return expected;
        const hash = await this.compute(blob);
        if (hash === expected) this.remember(hash, blob);
        return hash;
      }),
    );
    for (let i = 0; i < n; i++) {
      const expected = versionedHashes[i]?.toLowerCase();
      if (actual[i] === undefined || expected === undefined || actual[i] !== expected) {
        throw new BlobHashMismatchError(i, expected ?? '(no hash expected)', actual[i] ?? '(no blob)');
      }
    }
  }

  private isCached(hash: string, blob: Uint8Array): boolean {
    const known = this.verified.get(hash);
    if (!known || !known.equals(digestOf(blob))) return false;
    this.cacheHits++;
    // Most recently used last.
    this.verified.delete(hash);
    this.verified.set(hash, known);
    return true;
  }

  private remember(hash: string, blob: Uint8Array): void {
    this.verified.delete(hash);
    this.verified.set(hash, digestOf(blob));
    while (this.verified.size > this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
  }

  private async compute(blob: Uint8Array): Promise<string> {
    this.computed++;
    if (!this.pool) return blobVersionedHash(blob);
    const [hash] = await this.pool.run({ blobs: [blob] });
    return hash!;
  }
}

/** sha256 of a blob's bytes: what the cache compares a blob presented again with. */
function digestOf(blob: Uint8Array): Buffer {
  return createHash('sha256').update(blob).digest();
}

/** A verifier without threads, for callers that were given none (tests, one-off commands). */
export function inlineBlobVerifier(): BlobVerifier {
  return new BlobVerifier({ threads: 0 });
}
