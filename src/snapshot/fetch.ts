import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

import { errorMessage } from '../foundation/errors/index.js';
import type { Logger } from '../foundation/log/index.js';
import { SnapshotCheckError } from './errors.js';
import { SNAPSHOT_INDEX_FILE, snapshotIndexSchema, type SnapshotIndex } from './format.js';

/** The index URL of a snapshot location: the URL itself when it names a `.json`, else `<dir>/index.json`. */
export function indexUrlOf(location: string): URL {
  if (location.endsWith('.json')) return new URL(location);
  return new URL(SNAPSHOT_INDEX_FILE, location.endsWith('/') ? location : `${location}/`);
}

async function openStream(url: URL): Promise<{ body: Readable; length: number | undefined }> {
  if (url.protocol === 'file:') return { body: createReadStream(fileURLToPath(url)), length: undefined };
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}`);
  const length = Number(res.headers.get('content-length') ?? NaN);
  return { body: Readable.fromWeb(res.body as never), length: Number.isFinite(length) ? length : undefined };
}

/** Reads and parses a snapshot's index; `download` when unreachable, `index` when it is not a valid index. */
export async function readSnapshotIndex(location: string): Promise<{ index: SnapshotIndex; url: URL }> {
  const url = indexUrlOf(location);
  let text: string;
  try {
    if (url.protocol === 'file:') text = await readFile(fileURLToPath(url), 'utf8');
    else {
      const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    }
  } catch (err) {
    throw new SnapshotCheckError('download', `cannot read ${url.href}: ${errorMessage(err)}`, { url: url.href });
  }
  let parsed;
  try {
    parsed = snapshotIndexSchema.safeParse(JSON.parse(text));
  } catch (err) {
    throw new SnapshotCheckError('index', `${url.href} is not JSON: ${errorMessage(err)}`, { url: url.href });
  }
  if (!parsed.success) {
    const why = parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SnapshotCheckError('index', `${url.href} is not a snapshot index (format 1): ${why}`, { url: url.href });
  }
  return { index: parsed.data, url };
}

/**
 * Downloads one file of a snapshot (relative to its index URL) and gunzips it to `dest`, hashing what arrives: a
 * sha256 or length other than the index's throws `sha256`; progress is logged (bytes, percent) about once a second.
 */
export async function downloadSnapshotFile(
  indexUrl: URL,
  file: SnapshotIndex['files'][number],
  dest: string,
  log: Logger,
): Promise<void> {
  const url = new URL(file.name, indexUrl);
  let source;
  try {
    source = await openStream(url);
  } catch (err) {
    throw new SnapshotCheckError('download', `cannot download ${url.href}: ${errorMessage(err)}`, { url: url.href });
  }
  const hash = createHash('sha256');
  let bytes = 0;
  let lastLog = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      const now = Date.now();
      if (now - lastLog >= 1000) {
        lastLog = now;
        const percent = file.bytes > 0 ? Math.min(100, Math.floor((bytes / file.bytes) * 100)) : 100;
        log.info('Downloading snapshot', { file: file.name, bytes, total: file.bytes, percent });
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(source.body, tap, createGunzip(), createWriteStream(dest));
  } catch (err) {
    // A cut-off or altered file usually breaks the gzip stream first: report it by its hash.
    const digest = hash.digest('hex');
    if (digest !== file.sha256 || bytes !== file.bytes) {
      throw new SnapshotCheckError(
        'sha256',
        `${file.name}: ${bytes} bytes with sha256 ${digest} (before it failed: ${errorMessage(err)}), the index says ${file.bytes} bytes with ${file.sha256}`,
        { file: file.name },
      );
    }
    throw new SnapshotCheckError('download', `cannot unpack ${url.href}: ${errorMessage(err)}`, { url: url.href });
  }
  const digest = hash.digest('hex');
  if (digest !== file.sha256 || bytes !== file.bytes) {
    throw new SnapshotCheckError(
      'sha256',
      `${file.name}: ${bytes} bytes with sha256 ${digest}, the index says ${file.bytes} bytes with ${file.sha256}`,
      { file: file.name },
    );
  }
  log.info('Downloaded snapshot file', { file: file.name, bytes, percent: 100, sha256: digest });
}
