import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

import { bytesToBlobs } from './encoding.js';
import { BlobHashMismatchError } from './errors.js';
import { blobVersionedHashes } from './hashes.js';
import { BlobVerifier } from './verifier.js';

const blobs = bytesToBlobs(randomBytes(150_000)); // two blobs
const hashes = blobVersionedHashes(blobs);

const started: BlobVerifier[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(v => v.stop()));
});

/** A started verifier (each of its workers loads the trusted setup once, which takes a while on a busy machine). */
function pooled(threads = 2): BlobVerifier {
  const v = new BlobVerifier({ threads });
  v.start();
  started.push(v);
  return v;
}

describe('BlobVerifier', () => {
  it('computes the same versioned hashes on its worker threads as on this one', async () => {
    const v = pooled();
    expect(await v.versionedHashes(blobs)).toEqual(hashes);
    expect(v.workerThreads().length).toBeGreaterThan(0);
    expect(await new BlobVerifier({ threads: 0 }).versionedHashes(blobs)).toEqual(hashes);
  });

  it('commits to a blob once: a blob that matched an expected hash is later checked by its bytes', async () => {
    const v = pooled();
    expect(await v.versionedHashes(blobs, hashes)).toEqual(hashes);
    expect(v.stats()).toEqual({ computed: 2, cacheHits: 0 });
    await v.verify(blobs, hashes);
    expect(v.stats()).toEqual({ computed: 2, cacheHits: 2 });
    // Other bytes under a cached hash are committed to (and refused), never taken from the cache.
    const other = Uint8Array.from(blobs[1]!);
    other[1] = other[1]! ^ 1;
    await expect(v.verify([blobs[0]!, other], hashes)).rejects.toThrow(/^blob 1 has versioned hash/);
    expect(v.stats()).toEqual({ computed: 3, cacheHits: 3 });
  });

  it('names the first blob that does not match, a missing one and one c-kzg refuses', async () => {
    const v = new BlobVerifier({ threads: 0 });
    await expect(v.verify(blobs, [hashes[0]!, hashes[0]!])).rejects.toThrow(BlobHashMismatchError);
    await expect(v.verify(blobs, hashes.slice(0, 1))).rejects.toThrow(/blob 1 .*no hash expected/);
    await expect(v.verify(blobs.slice(0, 1), hashes)).rejects.toThrow(/blob 1 .*no blob/);
    const invalid = Uint8Array.from(blobs[0]!);
    invalid[0] = 0xff; // beyond the field modulus
    await expect(v.verify([invalid], hashes.slice(0, 1))).rejects.toThrow(/blob 0 .*invalid blob/);
  });

  it('keeps at most cacheSize verified blobs, dropping the least recently used', async () => {
    const v = new BlobVerifier({ threads: 0, cacheSize: 1 });
    await v.verify(blobs, hashes); // blob 0 is pushed out by blob 1
    await v.verify(blobs.slice(1), hashes.slice(1));
    await v.verify(blobs.slice(0, 1), hashes.slice(0, 1));
    expect(v.stats()).toEqual({ computed: 3, cacheHits: 1 });
  });

  it('remembers a verified blob by its digest, not by the caller buffer: bytes changed in place are checked again', async () => {
    const v = new BlobVerifier({ threads: 0 });
    const reused = Uint8Array.from(blobs[0]!);
    await v.verify([reused], hashes.slice(0, 1));
    reused.set(blobs[1]!); // the caller reuses its buffer for other bytes
    await expect(v.verify([reused], hashes.slice(0, 1))).rejects.toThrow(/^blob 0 has versioned hash/);
    expect(v.stats()).toEqual({ computed: 2, cacheHits: 0 });
    await v.verify(blobs.slice(0, 1), hashes.slice(0, 1));
    expect(v.stats()).toEqual({ computed: 2, cacheHits: 1 });
  });

  it('terminates its workers on stop and then works on the calling thread', async () => {
    const v = pooled(1);
    await v.verify(blobs.slice(0, 1), hashes.slice(0, 1));
    const [worker] = v.workerThreads();
    expect(worker).toBeDefined();
    const exited = once(worker!, 'exit');
    await v.stop();
    await exited;
    expect(v.workerThreads()).toEqual([]);
    await v.verify(blobs.slice(1), hashes.slice(1));
    expect(v.stats().computed).toBe(2);
  });

  it('refuses a thread count that is not a whole number', () => {
    expect(() => new BlobVerifier({ threads: -1 })).toThrow(RangeError);
  });
});
