// Sync from genesis at length: builds a chain of N L2 blocks with txs on anvil (8 s slots, anvil's time warped to
// each slot, so building does not wait for the clock), then times a fresh archiver + world state (the node's sync
// path: beacon client, blob verifier pool, LMDB world state checking every root) syncing all of it, with progress.
// Prints blocks/s and total seconds, next to the raw rate of fetching the chain's L1 data measured in the same run.
// Run: npx tsx bench/sync-length.bench.ts [blocks]   (or BENCH_SYNC_LENGTH=<blocks>; BENCH_LONG=1 for 10,000)
import { availableParallelism } from 'node:os';

import { createArchiverHarness, type ArchiverHarness } from '../src/archiver/testing/harness.js';
import { configureLogging } from '../src/foundation/log/index.js';
import type { KvStore } from '../src/kv/index.js';
import { RollupAbi } from '../src/l1/generated/index.js';
import { createWorldState } from '../src/world-state/world-state.js';
import { startTestL1 } from '../test/helpers/l1.js';
import { rawFetch } from './helpers/raw-fetch.js';
import { RealChainPublisher } from './helpers/real-chain.js';

const LONG = process.env['BENCH_LONG'] === '1';
const N = Number(process.argv[2] ?? process.env['BENCH_SYNC_LENGTH'] ?? (LONG ? 10_000 : 100));
/** Txs per block: random effects with fresh nullifiers, cycling 1..TXS_MAX. */
const TXS_MAX = 4;
const BATCH = 100;
const CORES = availableParallelism();

configureLogging({ level: 'warn' });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const l1 = await startTestL1({ proofSubmissionWindow: 1_000_000n });
let chain: RealChainPublisher | undefined;
let harness: ArchiverHarness | undefined;
try {
  chain = await RealChainPublisher.create(l1);
  const buildStart = performance.now();
  let txs = 0;
  for (let i = 0; i < N; i++) {
    const body = chain.fresh.effects(1 + (i % TXS_MAX));
    txs += body.length;
    await chain.publish(body);
    if ((i + 1) % Math.max(1, Math.floor(N / 10)) === 0) {
      const ms = performance.now() - buildStart;
      console.log(`built ${i + 1}/${N} blocks in ${seconds(ms)} (${((i + 1) / (ms / 1000)).toFixed(1)} blocks/s)`);
    }
  }
  const buildMs = performance.now() - buildStart;
  const head = await l1.publicClient.getBlockNumber({ cacheTime: 0 });
  const from = await l1.publicClient.readContract({
    address: l1.deployment.addresses.rollup,
    abi: RollupAbi,
    functionName: 'L1_BLOCK_AT_GENESIS',
  });

  harness = await createArchiverHarness({
    publicClient: l1.publicClient,
    beaconUrl: l1.anvil.url,
    rollupAddress: l1.deployment.addresses.rollup,
    batchSize: BATCH,
    blobVerifyThreads: CORES,
    worldState: (kv: KvStore) => createWorldState({ store: kv, blockHistory: 64 }),
  });
  const h = harness;
  let firstBlockMs: number | undefined;
  h.archiver.subscribe(e => {
    if (e.type === 'blocks-added') firstBlockMs ??= performance.now() - syncStart;
  });
  const syncStart = performance.now();
  const progress = setInterval(() => {
    const at = Number(h.store.getLatestBlockNumber());
    const ms = performance.now() - syncStart;
    console.log(`synced ${at}/${N} blocks in ${seconds(ms)} (${(at / (ms / 1000)).toFixed(1)} blocks/s)`);
  }, 5_000);
  try {
    await h.archiver.sync();
  } finally {
    clearInterval(progress);
  }
  const syncMs = performance.now() - syncStart;
  const synced = h.store.getLatestBlockNumber();
  if (synced !== BigInt(N) || h.appliedTo.getBlockNumber() !== BigInt(N)) {
    throw new Error(`synced to block ${synced} (world state ${h.appliedTo.getBlockNumber()}), expected ${N}`);
  }
  const stats = h.blobVerifier.stats();
  const raw = await rawFetch(l1, from, head, { batch: BATCH, concurrency: 8 });
  const rawRate = raw.blocks / (raw.ms / 1000);
  const syncRate = N / (syncMs / 1000);

  console.log(`\nchain: ${N} L2 blocks, ${txs} txs, ${head - from + 1n} L1 blocks, built in ${seconds(buildMs)}`);
  console.log(
    `fresh sync from genesis (${CORES} KZG threads, real world state, batches of ${BATCH} L1 blocks): ` +
      `${syncRate.toFixed(1)} blocks/s, ${seconds(syncMs)} in total (KZG workers started within it)`,
  );
  if (firstBlockMs !== undefined && N > 1) {
    console.log(
      `first block applied after ${seconds(firstBlockMs)} (workers starting: each loads the trusted setup); ` +
        `from then on ${((N - 1) / ((syncMs - firstBlockMs) / 1000)).toFixed(1)} blocks/s`,
    );
  }
  console.log(
    `raw L1 fetch of the same data (logs, headers, txs, blob JSON; 8 at once): ${rawRate.toFixed(1)} blocks/s, ` +
      `${seconds(raw.ms)}; sync = ${(syncRate / rawRate).toFixed(2)}x raw`,
  );
  console.log(`KZG commitments: ${stats.computed} computed, ${stats.cacheHits} checks answered by the cache`);
} finally {
  await harness?.close();
  await chain?.close();
  await l1.stop();
}
