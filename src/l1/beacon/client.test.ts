import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { bytesToHex, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { configureLogging } from '../../foundation/log/index.js';
import { getFreePort } from '../../foundation/net/free-port.js';
import { BlobHashMismatchError, blobCommitments, blobVersionedHashes, bytesToBlobs } from '../blobs/index.js';
import { BeaconClient, type BeaconClientOptions, type L1BlockRef } from './client.js';
import { BeaconUnavailableError, BlobsNotFoundError } from './errors.js';
import type { BeaconHostConfig } from './hosts.js';

const KEY = 'sekrit-key-123';

/** What a fake beacon node holds and how it misbehaves. */
interface FakeBeacon {
  /** block_id → blobs (EL numbers, hashes or slots, as the test chooses). */
  blocks: Map<string, Uint8Array[]>;
  key?: string;
  keyHeader?: string;
  blobsStatus?: number;
  fail429Times?: number;
  always500?: boolean;
  corruptSidecar?: boolean;
  spec?: { genesisTime: bigint; secondsPerSlot: bigint };
  requests: { path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }[];
}

const servers: Server[] = [];

async function startFake(state: Omit<FakeBeacon, 'requests'>): Promise<{ url: string; fake: FakeBeacon }> {
  const fake: FakeBeacon = { ...state, requests: [] };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    fake.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    if (fake.key !== undefined) {
      const given = fake.keyHeader ? req.headers[fake.keyHeader.toLowerCase()] : url.searchParams.get('key');
      if (given !== fake.key) return send(res, 401, { code: 401, message: 'bad key' });
    }
    if (fake.always500) return send(res, 500, { code: 500, message: 'boom' });
    if ((fake.fail429Times ?? 0) > 0) {
      fake.fail429Times! -= 1;
      res.setHeader('retry-after', '0');
      return send(res, 429, { code: 429, message: 'slow down' });
    }
    const m = /^\/eth\/v1\/beacon\/(blobs|blob_sidecars)\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/eth/v1/beacon/genesis' && fake.spec) {
      return send(res, 200, { data: { genesis_time: fake.spec.genesisTime.toString() } });
    }
    if (url.pathname === '/eth/v1/config/spec' && fake.spec) {
      return send(res, 200, { data: { SECONDS_PER_SLOT: fake.spec.secondsPerSlot.toString() } });
    }
    if (!m) return send(res, 404, { code: 404, message: 'no route' });
    const blobs = fake.blocks.get(m[2]!);
    if (m[1] === 'blobs' && fake.blobsStatus) return send(res, fake.blobsStatus, { code: fake.blobsStatus });
    if (!blobs) return send(res, 404, { code: 404, message: 'Block not found' });
    if (m[1] === 'blobs') {
      const wanted = url.searchParams.get('versioned_hashes')?.split(',');
      const hashes = blobVersionedHashes(blobs);
      const data = blobs.filter((_, i) => !wanted || wanted.includes(hashes[i]!)).map(b => bytesToHex(b));
      return send(res, 200, { execution_optimistic: false, finalized: false, data });
    }
    const commitments = blobCommitments(blobs);
    const data = blobs.map((b, i) => {
      const blob = fake.corruptSidecar ? bytesToBlobs(randomBytes(50))[0]! : b;
      return { index: String(i), blob: bytesToHex(blob), kzg_commitment: bytesToHex(commitments[i]!), kzg_proof: '0x' };
    });
    return send(res, 200, { data });
  });
  servers.push(server);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, fake };
}

const fast: BeaconClientOptions = { timeoutMs: 2_000, retries: 2, backoffMs: 50 };
const ours = bytesToBlobs(randomBytes(140_000)); // two blobs
const other = bytesToBlobs(randomBytes(1000)); // another rollup's blob in the same block
const hashes: Hex[] = blobVersionedHashes(ours);
const block = () => new Map([['7', [other[0]!, ...ours]]]);
const same = (a: Uint8Array[], b: Uint8Array[]) =>
  a.map(x => bytesToHex(x)).join() === b.map(x => bytesToHex(x)).join();

const logs: string[] = [];
beforeAll(() => configureLogging({ level: 'trace', sink: line => logs.push(line) }));
afterEach(() => expect(logs.join('\n')).not.toContain(KEY));
afterAll(async () => {
  configureLogging({ level: 'warn' });
  await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))));
});

describe('BeaconClient', () => {
  it('sends the key as ?key= and returns our blobs in the expected order', async () => {
    const { url, fake } = await startFake({ blocks: block(), key: KEY });
    const client = new BeaconClient([{ url, apiKey: KEY }], fast);
    expect(same(await client.getBlobs(7n, hashes), ours)).toBe(true);
    expect(same(await client.getBlobs('7', [hashes[1]!, hashes[0]!]), [ours[1]!, ours[0]!])).toBe(true);
    expect(fake.requests[0]!.path).toBe('/eth/v1/beacon/blobs/7');
    expect(fake.requests[0]!.query.get('versioned_hashes')).toBe(hashes.join(','));
  });

  it('sends the key in the named header, and reports a wrong key without leaking it', async () => {
    const { url, fake } = await startFake({ blocks: block(), key: KEY, keyHeader: 'X-API-KEY' });
    const cfg: BeaconHostConfig = { url, apiKey: KEY, apiKeyHeader: 'X-API-KEY' };
    expect(same(await new BeaconClient([cfg], fast).getBlobs(7, hashes), ours)).toBe(true);
    expect(fake.requests[0]!.query.has('key')).toBe(false);
    const wrong = new BeaconClient([{ url: `${url}/`, apiKey: 'nope', apiKeyHeader: 'X-API-KEY' }], fast);
    const err = await wrong.getBlobs(7, hashes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobsNotFoundError);
    expect((err as Error).message).toContain('HTTP 401');
  });

  it('falls back to blob_sidecars when /blobs answers 410, and then stops asking /blobs', async () => {
    const { url, fake } = await startFake({ blocks: block(), blobsStatus: 410 });
    const client = new BeaconClient([{ url }], fast);
    expect(same(await client.getBlobs(7n, hashes), ours)).toBe(true);
    expect(fake.requests.map(r => r.path.split('/')[4])).toEqual(['blobs', 'blob_sidecars']);
    await client.getBlobs(7n, hashes);
    expect(fake.requests.map(r => r.path.split('/')[4])).toEqual(['blobs', 'blob_sidecars', 'blob_sidecars']);
  });

  it('backs off and retries after a 429', async () => {
    const { url, fake } = await startFake({ blocks: block(), fail429Times: 1 });
    const start = Date.now();
    expect(same(await new BeaconClient([{ url }], fast).getBlobs(7n, hashes), ours)).toBe(true);
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails over to the next host when the first is down', async () => {
    const down = `http://127.0.0.1:${await getFreePort()}`;
    const { url } = await startFake({ blocks: block(), key: KEY });
    const client = BeaconClient.fromConfig(
      { l1ConsensusHostUrls: [down, url], l1ConsensusHostApiKeys: [KEY, KEY], l1ConsensusHostApiKeyHeaders: [] },
      fast,
    );
    expect(same(await client.getBlobs(7n, hashes), ours)).toBe(true);
  });

  it('gives up with BeaconUnavailableError when every host keeps failing', async () => {
    const { url } = await startFake({ blocks: block(), always500: true, key: KEY });
    const err = await new BeaconClient([{ url, apiKey: KEY }], fast).getBlobs(7n, hashes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BeaconUnavailableError);
    expect((err as Error).message).toMatch(/HTTP 500/);
    expect((err as Error).message).not.toContain(KEY);
  });

  it('names the missing hash, and the index of a blob that does not match its commitment', async () => {
    const { url } = await startFake({ blocks: new Map([['7', [ours[0]!]]]) });
    const err = await new BeaconClient([{ url }], fast).getBlobs(7n, hashes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobsNotFoundError);
    expect((err as BlobsNotFoundError).missing).toEqual([{ index: 1, versionedHash: hashes[1] }]);

    const bad = await startFake({ blocks: block(), blobsStatus: 404, corruptSidecar: true });
    const mismatch = await new BeaconClient([{ url: bad.url }], fast).getBlobs(7n, hashes).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(BlobHashMismatchError);
    expect((mismatch as BlobHashMismatchError).index).toBe(0);
  });

  it('addresses a real beacon node by slot when it does not know the EL block', async () => {
    const spec = { genesisTime: 1_000n, secondsPerSlot: 12n };
    const { url, fake } = await startFake({ blocks: new Map([['50', ours]]), spec });
    const client = new BeaconClient([{ url }], fast);
    expect(await client.slotForTimestamp(1_000n + 50n * 12n + 5n)).toBe(50n);
    const ref: L1BlockRef = { number: 9_000n, hash: `0x${'cd'.repeat(32)}`, timestamp: 1_600n };
    expect(same(await client.getBlobs(ref, hashes), ours)).toBe(true);
    const ids = fake.requests.filter(r => r.path.includes('/blob')).map(r => r.path.split('/')[5]);
    expect(ids).toEqual([ref.hash, ref.hash, '9000', '9000', '50']);
  });
});
