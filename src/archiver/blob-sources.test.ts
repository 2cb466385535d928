import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getFreePort } from '../foundation/net/free-port.js';
import { openKvStore } from '../kv/index.js';
import { blobVersionedHashes, bytesToBlobs, computeBlobsHash, inlineBlobVerifier } from '../l1/blobs/index.js';
import { frFromHex, frToHex, type Fr } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { encodeBlockBody, type L2Block } from '../types/l2-block.js';
import { randomL2Block, TestRandom } from '../types/testing/index.js';
import { BlobArchiveSource, blobFileName, writeBlobFiles } from './blob-archive.js';
import { blobsOfBlock, exportBlobs } from './blob-export.js';
import type { BlobRequest, BlobSource } from './block-retriever.js';
import { BlobSourceError } from './errors.js';
import { FallbackBlobSource } from './fallback-blob-source.js';
import { PeerBlobSource, type BlockPeers } from './peer-blob-source.js';
import { ArchiverStore } from './store.js';

const verifier = inlineBlobVerifier();
const rng = new TestRandom(7);
const root = mkdtempSync(join(tmpdir(), 'aztec-blob-sources-'));
const L1_BLOCK = { number: 5n, hash: `0x${'11'.repeat(32)}` as const, timestamp: 60n };

/** A block whose header's blobsHash is that of its body's blobs (as L1 would have accepted it). */
function consistentBlock(n: bigint, txs = 2): { block: L2Block; blobs: Uint8Array[]; hashes: Hex[] } {
  const block = randomL2Block(rng, txs);
  const blobs = bytesToBlobs(encodeBlockBody(block.body));
  const hashes = blobVersionedHashes(blobs);
  block.header = {
    ...block.header,
    globalVariables: { ...block.header.globalVariables, blockNumber: n as never },
    contentCommitment: { ...block.header.contentCommitment, blobsHash: frFromHex(computeBlobsHash(hashes)) },
  };
  return { block, blobs, hashes };
}

const good = consistentBlock(1n);
const other = consistentBlock(2n);
const request: BlobRequest = { l2BlockNumber: 1n, archive: frToHex(good.block.archive.root) };

/** A source that serves fixed blobs or throws, and counts its calls. */
function fixed(blobs: Uint8Array[] | Error): BlobSource & { calls: number } {
  const s = {
    calls: 0,
    getBlobs: () => {
      s.calls++;
      return blobs instanceof Error ? Promise.reject(blobs) : Promise.resolve(blobs);
    },
  };
  return s;
}

let server: Server;
let httpUrl: string;
const goodDir = join(root, 'good');
const badDir = join(root, 'bad');

beforeAll(async () => {
  await writeBlobFiles(
    goodDir,
    good.blobs.map((blob, i) => ({ versionedHash: good.hashes[i]!, blob })),
  );
  // An archive whose file for good's blob holds another blob.
  await writeBlobFiles(badDir, [{ versionedHash: good.hashes[0]!, blob: other.blobs[0]! }]);
  server = createServer((req, res) => {
    readFile(join(goodDir, (req.url ?? '/').slice(1))).then(
      bytes => res.writeHead(200).end(bytes),
      () => res.writeHead(404).end(),
    );
  });
  const port = await getFreePort();
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${port}/`;
});

afterAll(async () => {
  await new Promise(resolve => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('BlobArchiveSource', () => {
  it('serves blobs by versioned hash from file:// and http:// archives, checked against the hashes', async () => {
    const fromFile = new BlobArchiveSource(pathToFileURL(goodDir).href, verifier);
    expect(await fromFile.getBlobs(L1_BLOCK, good.hashes)).toEqual(good.blobs);
    const fromHttp = new BlobArchiveSource(httpUrl, verifier);
    expect(await fromHttp.getBlobs(L1_BLOCK, good.hashes)).toEqual(good.blobs);
  });

  it('refuses a blob that does not commit to its versioned hash, and names a missing one', async () => {
    const bad = new BlobArchiveSource(pathToFileURL(badDir).href, verifier);
    await expect(bad.getBlobs(L1_BLOCK, good.hashes)).rejects.toMatchObject({ code: 'BLOB_ARCHIVE_BAD_BLOB' });
    const http = new BlobArchiveSource(httpUrl, verifier);
    const missing = await http.getBlobs(L1_BLOCK, other.hashes).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'BLOB_ARCHIVE_MISSING' });
    expect((missing as Error).message).toContain(blobFileName(other.hashes[0]!));
  });

  it('refuses a file that is not a blob at all', async () => {
    const dir = join(root, 'short');
    await writeBlobFiles(dir, []);
    writeFileSync(join(dir, blobFileName(good.hashes[0]!)), Buffer.from('not a blob'));
    const short = new BlobArchiveSource(dir, verifier);
    await expect(short.getBlobs(L1_BLOCK, good.hashes)).rejects.toMatchObject({ code: 'BLOB_ARCHIVE_BAD_BLOB' });
  });
});

describe('FallbackBlobSource', () => {
  it('asks the sources in order and stops at the first that serves', async () => {
    const beacon = fixed(good.blobs);
    const archive = fixed(good.blobs);
    const source = new FallbackBlobSource([
      { name: 'beacon', source: beacon },
      { name: 'archive', source: archive },
    ]);
    expect(await source.getBlobs(L1_BLOCK, good.hashes, request)).toEqual(good.blobs);
    expect([beacon.calls, archive.calls]).toEqual([1, 0]);
  });

  it('passes over a failing beacon and a lying archive to the next source', async () => {
    const beacon = fixed(new Error('HTTP 404'));
    const lying = new BlobArchiveSource(badDir, verifier);
    const honest = new BlobArchiveSource(goodDir, verifier);
    const source = new FallbackBlobSource([
      { name: 'beacon', source: beacon },
      { name: 'archive', source: lying },
      { name: 'archive', source: honest },
    ]);
    expect(await source.getBlobs(L1_BLOCK, good.hashes, request)).toEqual(good.blobs);
    expect(beacon.calls).toBe(1);
  });

  it('names every source and what to set when none serves', async () => {
    const source = new FallbackBlobSource([
      { name: 'beacon', source: fixed(new Error('HTTP 404')) },
      { name: 'archive', source: new BlobArchiveSource(badDir, verifier) },
    ]);
    const err = await source.getBlobs(L1_BLOCK, good.hashes, request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobSourceError);
    expect(err).toMatchObject({ code: 'BLOBS_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/beacon: HTTP 404 \| archive: blob archive .* served a wrong blob/);
    expect((err as Error).message).toMatch('BLOB_ARCHIVE_URLS');
  });
});

/** Peers that serve fixed blocks, recording requests and penalties. */
function peers(served: Record<string, L2Block | undefined | Error>): BlockPeers & {
  asked: string[];
  penalized: string[];
} {
  const p = {
    asked: [] as string[],
    penalized: [] as string[],
    peers: () => Object.keys(served),
    requestBlock: (peer: string, _n: bigint, _root: Fr) => {
      p.asked.push(peer);
      const b = served[peer];
      return b instanceof Error ? Promise.reject(b) : Promise.resolve(b);
    },
    penalize: (peer: string) => void p.penalized.push(peer),
  };
  return p;
}

describe('PeerBlobSource', () => {
  it('re-encodes a peer’s body into blobs checked against L1’s hashes; a wrong body costs its peer', async () => {
    const wrongBody = { ...good.block, body: good.block.body.slice(0, -1) };
    const p = peers({ none: undefined, broken: new Error('timed out'), liar: wrongBody, honest: good.block });
    const source = new PeerBlobSource(verifier);
    source.attach(p);
    expect(await source.getBlobs(L1_BLOCK, good.hashes, request)).toEqual(good.blobs);
    expect(p.asked).toEqual(['none', 'broken', 'liar', 'honest']);
    expect(p.penalized).toEqual(['liar']);
  });

  it('without P2P, without peers or without the block number, says so', async () => {
    const source = new PeerBlobSource(verifier);
    await expect(source.getBlobs(L1_BLOCK, good.hashes, request)).rejects.toThrow(/P2P_ENABLED=true/);
    source.attach(peers({ liar: other.block }));
    const none = await source.getBlobs(L1_BLOCK, good.hashes, request).catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'BLOB_PEERS_UNAVAILABLE' });
    expect((none as Error).message).toContain('liar: wrong body');
    await expect(source.getBlobs(L1_BLOCK, good.hashes)).rejects.toMatchObject({ code: 'BLOB_PEERS_UNAVAILABLE' });
  });
});

describe('exportBlobs', () => {
  it('writes the blobs of every stored block, rebuilt from the body and checked against the header', async () => {
    const kv = await openKvStore({ name: 'blob-export' });
    try {
      const store = new ArchiverStore(kv);
      const hash = `0x${'ab'.repeat(32)}` as const;
      for (const { block } of [good, other]) {
        store.addBlock({
          block,
          headerHash: headerHash(block.header),
          l1: { l1BlockNumber: 1n, l1BlockHash: hash, l1TxHash: hash, l1Timestamp: 1n, attestations: 0 },
        });
      }
      const out = join(root, 'export');
      expect(await exportBlobs(store, out)).toEqual({ blocks: 2, blobs: 2, written: 2 });
      expect(await exportBlobs(store, out)).toEqual({ blocks: 2, blobs: 2, written: 0 });
      const archive = new BlobArchiveSource(out, verifier);
      expect(await archive.getBlobs(L1_BLOCK, other.hashes)).toEqual(other.blobs);
    } finally {
      await kv.close();
    }
  });

  it('refuses a stored body that does not give the header’s blobsHash', () => {
    const damaged = { ...good.block, body: other.block.body };
    expect(() => blobsOfBlock(damaged)).toThrow(/do not hash to its header's blobsHash/);
  });
});
