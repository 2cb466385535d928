// Archiver sync rate (L2 blocks/s) from a local L1 holding N pre-published blocks with full blobs, next to the raw
// rate of fetching the same L1 data (logs, transactions, blobs) in the same run.
// Run: npx tsx bench/archiver-sync.bench.ts [blocks] [full blobs per block]
import type { Hex } from 'viem';

import { createArchiverHarness, type ArchiverHarness } from '../src/archiver/testing/harness.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { BeaconClient } from '../src/l1/beacon/index.js';
import { BYTES_PER_BLOB, LENGTH_PREFIX_BYTES, USABLE_BYTES_PER_BLOB } from '../src/l1/blobs/index.js';
import { RollupAbi } from '../src/l1/generated/index.js';
import { encodeBlockBody } from '../src/types/l2-block.js';
import type { TxEffect } from '../src/types/tx-effect.js';
import { L1BlockPublisher } from '../test/helpers/l1-blocks.js';
import { startTestL1, type TestL1 } from '../test/helpers/l1.js';

const N = Number(process.argv[2] ?? 50);
/** Each body is at least this many whole blobs of payload (so it spills into one more blob). */
const FULL_BLOBS = Number(process.argv[3] ?? 1);
/** L1 blocks per eth_getLogs and blocks downloaded at once: the harness's batch size and the archiver's concurrency. */
const BATCH = 10;
const CONCURRENCY = 8;

configureLogging({ level: 'warn' });

const fmt = (x: number, width = 10) =>
  (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)).padStart(width);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A body of random tx effects whose encoding fills at least `FULL_BLOBS` whole blobs. */
function bigBody(publisher: L1BlockPublisher): TxEffect[] {
  const target = FULL_BLOBS * USABLE_BYTES_PER_BLOB - LENGTH_PREFIX_BYTES;
  const empty = encodeBlockBody([]).length;
  const body: TxEffect[] = [];
  for (let size = empty; size < target;) {
    const effect = publisher.randomTxEffect();
    body.push(effect);
    size += encodeBlockBody([effect]).length - empty;
  }
  while (encodeBlockBody(body).length < target) body.push(publisher.randomTxEffect());
  return body;
}

/** Runs `task` over `items`, at most `n` at a time, keeping the order of the results. */
async function mapLimit<T, R>(items: readonly T[], n: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** The raw reads behind a sync: L2BlockProposed logs in batches of `BATCH` L1 blocks, each tx and its blobs. */
async function rawFetch(
  l1: TestL1,
  beacon: BeaconClient,
  from: bigint,
  head: bigint,
  concurrency: number,
): Promise<{ blocks: number; blobBytes: number; ms: number }> {
  const start = performance.now();
  let blocks = 0;
  let blobBytes = 0;
  for (let lo = from; lo <= head; lo += BigInt(BATCH)) {
    const hi = lo + BigInt(BATCH) - 1n < head ? lo + BigInt(BATCH) - 1n : head;
    const logs = await l1.publicClient.getContractEvents({
      address: l1.deployment.addresses.rollup,
      abi: RollupAbi,
      eventName: 'L2BlockProposed',
      fromBlock: lo,
      toBlock: hi,
      strict: true,
    });
    const sizes = await mapLimit(logs, concurrency, async log => {
      await l1.publicClient.getTransaction({ hash: log.transactionHash });
      const hashes: readonly Hex[] = log.args.versionedBlobHashes;
      const blobs = await beacon.getBlobs({ number: log.blockNumber, hash: log.blockHash }, hashes);
      return blobs.reduce((sum, b) => sum + b.length, 0);
    });
    blocks += logs.length;
    blobBytes += sizes.reduce((a, b) => a + b, 0);
  }
  return { blocks, blobBytes, ms: performance.now() - start };
}

const l1 = await startTestL1({ proofSubmissionWindow: 1_000_000n });
let harness: ArchiverHarness | undefined;
try {
  const publisher = new L1BlockPublisher(l1, { seed: 7 });
  const publishStart = performance.now();
  let bodyBytes = 0;
  let blobsPerBlock = 0;
  for (let i = 0; i < N; i++) {
    const body = bigBody(publisher);
    bodyBytes += encodeBlockBody(body).length;
    const draft = await publisher.prepare({ body });
    blobsPerBlock = Math.max(blobsPerBlock, draft.blobs.length);
    await publisher.send(draft);
  }
  const publishMs = performance.now() - publishStart;
  const [pending] = await l1.publicClient.readContract({
    address: l1.deployment.addresses.rollup,
    abi: RollupAbi,
    functionName: 'getTips',
  });
  if (pending !== BigInt(N)) throw new Error(`expected ${N} pending L2 blocks on L1, found ${pending}`);

  const from = await l1.publicClient.readContract({
    address: l1.deployment.addresses.rollup,
    abi: RollupAbi,
    functionName: 'L1_BLOCK_AT_GENESIS',
  });
  const head = await l1.publicClient.getBlockNumber({ cacheTime: 0 });

  // Same client settings as the harness: anvil serves the beacon API on its RPC URL.
  const beacon = new BeaconClient([{ url: l1.anvil.url }], { retries: 0 });
  const rawBefore = await rawFetch(l1, beacon, from, head, CONCURRENCY);
  if (rawBefore.blocks !== N) throw new Error(`raw fetch saw ${rawBefore.blocks} blocks, expected ${N}`);

  harness = await createArchiverHarness({
    publicClient: l1.publicClient,
    beaconUrl: l1.anvil.url,
    rollupAddress: l1.deployment.addresses.rollup,
    batchSize: BATCH,
  });
  const syncStart = performance.now();
  await harness.archiver.sync();
  const syncMs = performance.now() - syncStart;
  const synced = harness.store.getLatestBlockNumber();
  if (synced !== BigInt(N)) throw new Error(`archiver synced to block ${synced}, expected ${N}`);

  const rawAfter = await rawFetch(l1, beacon, from, head, CONCURRENCY);
  const rawSequential = await rawFetch(l1, beacon, from, head, 1);

  const rate = (ms: number) => N / (ms / 1000);
  const rawRate = (rate(rawBefore.ms) + rate(rawAfter.ms)) / 2;
  const syncRate = rate(syncMs);
  const blobBytesPerBlock = rawBefore.blobBytes / N;

  console.log(
    `L2 blocks on L1                          ${String(N).padStart(10)}   (${head - from + 1n} L1 blocks, published in ${seconds(publishMs)})`,
  );
  console.log(
    `blob data per block                      ${fmt(blobBytesPerBlock)} bytes (${fmt(blobBytesPerBlock / BYTES_PER_BLOB, 1)} blobs of ${BYTES_PER_BLOB}; body ${fmt(bodyBytes / N, 0)} bytes, ${FULL_BLOBS} blob(s) full)`,
  );
  console.log(
    `raw L1 fetch (getLogs/${BATCH}, tx, blobs; ${CONCURRENCY} at once) ${fmt(rawRate)} blocks/s (${fmt(rate(rawBefore.ms))} before, ${fmt(rate(rawAfter.ms))} after)`,
  );
  console.log(`raw L1 fetch, one block at a time        ${fmt(rate(rawSequential.ms))} blocks/s`);
  console.log(
    `archiver sync from empty to ${N}          ${fmt(syncRate)} blocks/s  ${(syncRate / rawRate).toFixed(2)}x raw  (${seconds(syncMs)})`,
  );
  console.log(
    'note: the harness applies blocks to a RecordingWorldState (no trees); the tree application cost is measured by ' +
      'bench/merkle.bench.ts and bench/block-building.bench.ts.',
  );
  if (blobsPerBlock * BYTES_PER_BLOB !== blobBytesPerBlock) {
    console.log(`warning: drafts had ${blobsPerBlock} blobs but ${blobBytesPerBlock} bytes per block were fetched`);
  }
} finally {
  await harness?.close();
  await l1.stop();
}
