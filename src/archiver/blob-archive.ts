import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import type { BlobBlockId } from '../l1/beacon/index.js';
import type { BlobVerifier } from '../l1/blobs/index.js';
import type { BlobSource } from './block-retriever.js';
import { BlobSourceError } from './errors.js';

/**
 * The blob archive's layout (docs/blob-archive.md): one file per blob, named by its EIP-4844 versioned hash in
 * lowercase hex, holding the blob's 131072 bytes as they are: `<dir>/<versionedHash>.blob`.
 */
export function blobFileName(versionedHash: string): string {
  return `${versionedHash.toLowerCase()}.blob`;
}

/** The local directory of a `file://` archive URL (or a plain path), undefined for an http(s) one. */
export function blobArchiveDirectory(location: string): string | undefined {
  if (location.startsWith('file:')) return fileURLToPath(location);
  if (/^https?:\/\//i.test(location)) return undefined;
  return location;
}

/** Writes blobs into a local archive directory (created if needed); blobs already there are left as they are. */
export async function writeBlobFiles(dir: string, blobs: readonly { versionedHash: string; blob: Uint8Array }[]) {
  await mkdir(dir, { recursive: true });
  let written = 0;
  for (const { versionedHash, blob } of blobs) {
    const path = join(dir, blobFileName(versionedHash));
    if (existsSync(path)) continue;
    // Written under a temporary name and renamed: a reader never sees half a blob.
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, blob);
    await rename(tmp, path);
    written++;
  }
  return written;
}

/** How long one blob file may take over HTTP. */
const HTTP_TIMEOUT_MS = 30_000;

/**
 * One `BLOB_ARCHIVE_URLS` entry as a `BlobSource`: reads `<url>/<versionedHash>.blob` for each expected hash
 * (`file://` or `http(s)://`) and checks every blob against the versioned hash L1 recorded for it (its KZG commitment,
 * on `verifier`) before it is returned. Throws `BlobSourceError` `BLOB_ARCHIVE_MISSING` when a file is absent and
 * `BLOB_ARCHIVE_BAD_BLOB` when one does not commit to its hash (the archive is then not used for this block).
 */
export class BlobArchiveSource implements BlobSource {
  /** The URL without query string or credentials, for logs. */
  readonly label: string;
  private readonly base: URL;
  private readonly log: Logger;

  constructor(
    location: string,
    private readonly verifier: BlobVerifier,
    logger?: Logger,
  ) {
    const dir = blobArchiveDirectory(location);
    const href = dir !== undefined && !location.startsWith('file:') ? `file://${dir}` : location;
    this.base = new URL(href.endsWith('/') ? href : `${href}/`);
    const shown = new URL(this.base);
    shown.username = '';
    shown.password = '';
    shown.search = '';
    this.label = shown.href;
    this.log = logger ?? createLogger('archiver').child('blob-archive');
  }

  async getBlobs(block: BlobBlockId, expectedVersionedHashes: readonly Hex[]): Promise<Uint8Array[]> {
    const blobs = await Promise.all(expectedVersionedHashes.map(h => this.read(h)));
    const missing = expectedVersionedHashes.filter((_, i) => blobs[i] === undefined);
    if (missing.length > 0) {
      throw new BlobSourceError(
        'BLOB_ARCHIVE_MISSING',
        `blob archive ${this.label} has no ${missing.map(blobFileName).join(', ')}`,
        { archive: this.label, missing },
      );
    }
    try {
      await this.verifier.verify(blobs as Uint8Array[], expectedVersionedHashes);
    } catch (err) {
      this.log.warn('Blob archive served a blob that does not match the versioned hash L1 recorded; not used', {
        archive: this.label,
        l1Block: typeof block === 'object' ? block.number : block,
        reason: errorMessage(err),
      });
      throw new BlobSourceError(
        'BLOB_ARCHIVE_BAD_BLOB',
        `blob archive ${this.label} served a wrong blob: ${errorMessage(err)}`,
        { archive: this.label },
        err,
      );
    }
    return blobs as Uint8Array[];
  }

  /** The blob file of `hash`, or undefined when the archive has none. */
  private async read(hash: Hex): Promise<Uint8Array | undefined> {
    const url = new URL(blobFileName(hash), this.base);
    if (url.protocol === 'file:') {
      try {
        return new Uint8Array(await readFile(fileURLToPath(url)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    }
    const res = await fetch(url, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    if (res.status === 404) return undefined;
    if (!res.ok) {
      throw new BlobSourceError('BLOB_ARCHIVE_UNAVAILABLE', `blob archive ${this.label} answered HTTP ${res.status}`, {
        archive: this.label,
        status: res.status,
      });
    }
    return new Uint8Array(await res.arrayBuffer());
  }
}
