// Archiver sync rate (L2 blocks/s) from a local L1 holding pre-published blocks, applied to a real world state, next
// to two bounds measured in the same run: the raw rate of fetching the same L1 data (logs, transactions, blob JSON,
// nothing checked), and the all-cores KZG bound (c-kzg commitments of the same blobs on one core, times the cores).
// Two cases: blocks with a full blob (KZG-heavy) and near-empty blocks (per-block overheads). Each prints a per-block
// breakdown: fetch (the raw fetch's wall time a block), KZG (one core), decode, world-state apply (prepareBlock: the
// tree inserts and root checks), tree commit (the fork's commitSync) and the rest of the store transactions (block
// and tx index writes, the LMDB commit itself), all on the main thread except fetch and KZG.
// Run: npx tsx bench/archiver-sync.bench.ts [blocks] [full blobs per block] [near-empty blocks]
//   (or BENCH_SYNC_BLOCKS / BENCH_SYNC_EMPTY_BLOCKS)
import { availableParallelism } from 'node:os';

import cKzg from 'c-kzg';

import { createArchiverHarness, type ArchiverHarness } from '../src/archiver/testing/harness.js';
import { configureLogging } from '../src/foundation/log/index.js';
import type { KvStore } from '../src/kv/index.js';
import {
  BYTES_PER_BLOB,
  BlobVerifier,
  LENGTH_PREFIX_BYTES,
  USABLE_BYTES_PER_BLOB,
  getKzg,
} from '../src/l1/blobs/index.js';
import { RollupAbi } from '../src/l1/generated/index.js';
import { blobsToBytes } from '../src/l1/blobs/encoding.js';
import { decodeBlockBody, encodeBlockBody } from '../src/types/l2-block.js';
import type { TxEffect } from '../src/types/tx-effect.js';
import type { WorldState } from '../src/world-state/types.js';
import { createWorldState } from '../src/world-state/world-state.js';
import { startTestL1, type TestL1 } from '../test/helpers/l1.js';
import { rawFetch } from './helpers/raw-fetch.js';
import { RealChainPublisher, type PublishedBlockInfo } from './helpers/real-chain.js';

const N = Number(process.argv[2] ?? process.env['BENCH_SYNC_BLOCKS'] ?? 30);
/** Each body is at least this many whole blobs of payload (so it spills into one more blob). */
const FULL_BLOBS = Number(process.argv[3] ?? 1);
const EMPTY_N = Number(process.argv[4] ?? process.env['BENCH_SYNC_EMPTY_BLOCKS'] ?? 150);
/** L1 blocks per eth_getLogs (the archiver's batch size) and blocks fetched at once by the raw fetch. */
const BATCH = 10;
const CONCURRENCY = 8;
const CORES = availableParallelism();
/** Blocks whose blobs are committed to on one core to measure the KZG bound. */
const KZG_SAMPLE = 8;

configureLogging({ level: 'warn' });

const fmt = (x: number, width = 10) =>
  (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)).padStart(width);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (x: number) => `${x.toFixed(2)}x`;

/** One core's c-kzg cost of the sampled blocks: commitments (what the archiver computes) and batched proof checks. */
function kzgCost(sample: readonly PublishedBlockInfo[]): { commitMsPerBlock: number; proofMsPerBlock: number } {
  getKzg(); // trusted setup loaded
  const blobs = sample.flatMap(b => b.blobs);
  const t0 = performance.now();
  const commitments = blobs.map(b => cKzg.blobToKzgCommitment(b));
  const commitMs = performance.now() - t0;
  const proofs = blobs.map((b, i) => cKzg.computeBlobKzgProof(b, commitments[i]!));
  const t1 = performance.now();
  if (!cKzg.verifyBlobKzgProofBatch(blobs, commitments, proofs)) throw new Error('KZG proofs do not verify');
  const proofMs = performance.now() - t1;
  return { commitMsPerBlock: commitMs / sample.length, proofMsPerBlock: proofMs / sample.length };
}

/** The same commitments on a pool of `CORES` worker threads, all at once: the all-cores KZG rate as measured here. */
async function kzgOnPool(sample: readonly PublishedBlockInfo[]): Promise<number> {
  const verifier = new BlobVerifier({ threads: CORES });
  verifier.start();
  try {
    await verifier.warmUp();
    const start = performance.now();
    await Promise.all(sample.flatMap(b => b.blobs).map(blob => verifier.versionedHashes([blob])));
    return sample.length / ((performance.now() - start) / 1000);
  } finally {
    await verifier.stop();
  }
}

interface SyncRun {
  ms: number;
  computed: number;
  cacheHits: number;
  warmUpMs: number;
  /** Main-thread time spent in the world state and the store, summed over the sync (real world state only). */
  spent: Spent;
}

interface Spent {
  apply: number;
  /** The part of `apply` inside a store transaction (grouped commits prepare the blocks in theirs). */
  applyInTx: number;
  treeCommit: number;
  transactions: number;
}

/**
 * A real world state on `kv` whose block application is timed: `prepareBlock` (apply), the fork's `commitSync`
 * (tree commit), and every outermost store transaction (which holds the tree commits).
 */
function timedWorldState(kv: KvStore, spent: Spent): WorldState {
  const ws = createWorldState({ store: kv, blockHistory: 64 });
  const prepare = ws.prepareBlock.bind(ws);
  ws.prepareBlock = (block, messages) => {
    const t0 = performance.now();
    const fork = prepare(block, messages);
    spent.apply += performance.now() - t0;
    if (kv.inTransaction()) spent.applyInTx += performance.now() - t0;
    const commit = fork.commitSync.bind(fork);
    fork.commitSync = n => {
      const t1 = performance.now();
      commit(n);
      spent.treeCommit += performance.now() - t1;
    };
    return fork;
  };
  const transaction = kv.transactionSync.bind(kv);
  kv.transactionSync = <T>(fn: () => T): T => {
    if (kv.inTransaction()) return transaction(fn);
    const t0 = performance.now();
    try {
      return transaction(fn);
    } finally {
      spent.transactions += performance.now() - t0;
    }
  };
  return ws;
}

/**
 * A fresh archiver syncing everything from genesis with `threads` KZG workers, applying the blocks to a real world
 * state (or, with `real` false, to the tests' recorder, which has no trees: the archiver's own cost alone).
 */
async function timedSync(l1: TestL1, count: number, threads: number, real: boolean): Promise<SyncRun> {
  let harness: ArchiverHarness | undefined;
  const spent: Spent = { apply: 0, applyInTx: 0, treeCommit: 0, transactions: 0 };
  try {
    harness = await createArchiverHarness({
      publicClient: l1.publicClient,
      beaconUrl: l1.anvil.url,
      rollupAddress: l1.deployment.addresses.rollup,
      batchSize: BATCH,
      blobVerifyThreads: threads,
      ...(real ? { worldState: (kv: KvStore) => timedWorldState(kv, spent) } : {}),
    });
    // Workers load the trusted setup once each (a one-off start-up cost, printed apart from the sync).
    const w0 = performance.now();
    await harness.blobVerifier.warmUp();
    const warmUpMs = performance.now() - w0;
    const before = harness.blobVerifier.stats();
    Object.assign(spent, { apply: 0, applyInTx: 0, treeCommit: 0, transactions: 0 });
    const start = performance.now();
    await harness.archiver.sync();
    const ms = performance.now() - start;
    const synced = harness.store.getLatestBlockNumber();
    const applied = harness.appliedTo.getBlockNumber();
    if (synced !== BigInt(count) || applied !== BigInt(count)) {
      throw new Error(`archiver synced to block ${synced} (world state ${applied}), expected ${count}`);
    }
    const after = harness.blobVerifier.stats();
    return {
      ms,
      computed: after.computed - before.computed,
      cacheHits: after.cacheHits - before.cacheHits,
      warmUpMs,
      spent,
    };
  } finally {
    await harness?.close();
  }
}

/** A body of fresh tx effects whose encoding fills at least `FULL_BLOBS` whole blobs. */
function bigBody(chain: RealChainPublisher): TxEffect[] {
  const target = FULL_BLOBS * USABLE_BYTES_PER_BLOB - LENGTH_PREFIX_BYTES;
  const empty = encodeBlockBody([]).length;
  const body: TxEffect[] = [];
  for (let size = empty; size < target;) {
    const [effect] = chain.fresh.effects(1);
    body.push(effect!);
    size += encodeBlockBody([effect!]).length - empty;
  }
  while (encodeBlockBody(body).length < target) body.push(...chain.fresh.effects(1));
  return body;
}

async function runCase(
  title: string,
  count: number,
  makeBody: (chain: RealChainPublisher, i: number) => TxEffect[],
  target: { blocksPerSecond?: number },
): Promise<void> {
  const l1 = await startTestL1({ proofSubmissionWindow: 1_000_000n });
  let chain: RealChainPublisher | undefined;
  try {
    chain = await RealChainPublisher.create(l1);
    const publishStart = performance.now();
    const published: PublishedBlockInfo[] = [];
    for (let i = 0; i < count; i++) published.push(await chain.publish(makeBody(chain, i)));
    const publishMs = performance.now() - publishStart;

    const from = await l1.publicClient.readContract({
      address: l1.deployment.addresses.rollup,
      abi: RollupAbi,
      functionName: 'L1_BLOCK_AT_GENESIS',
    });
    const head = await l1.publicClient.getBlockNumber({ cacheTime: 0 });

    const rawBefore = await rawFetch(l1, from, head, { batch: BATCH, concurrency: CONCURRENCY });
    if (rawBefore.blocks !== count) throw new Error(`raw fetch saw ${rawBefore.blocks} blocks, expected ${count}`);
    const kzgBefore = kzgCost(published.slice(0, KZG_SAMPLE));
    const pooled = await timedSync(l1, count, CORES, true);
    const recorder = await timedSync(l1, count, CORES, false);
    const inline = await timedSync(l1, count, 0, false);
    const rawAfter = await rawFetch(l1, from, head, { batch: BATCH, concurrency: CONCURRENCY });
    const kzgAfter = kzgCost(published.slice(-KZG_SAMPLE));
    const poolRate = await kzgOnPool(published.slice(0, KZG_SAMPLE));
    const d0 = performance.now();
    for (const b of published) decodeBlockBody(blobsToBytes(b.blobs));
    const decodeMs = (performance.now() - d0) / count;

    const rate = (ms: number) => count / (ms / 1000);
    const rawRate = (rate(rawBefore.ms) + rate(rawAfter.ms)) / 2;
    const commitMs = (kzgBefore.commitMsPerBlock + kzgAfter.commitMsPerBlock) / 2;
    const proofMs = (kzgBefore.proofMsPerBlock + kzgAfter.proofMsPerBlock) / 2;
    const kzgBound = (CORES * 1000) / commitMs;
    const syncRate = rate(pooled.ms);
    const blobs = published.reduce((n, b) => n + b.blobs.length, 0);
    const bodyBytes = published.reduce((n, b) => n + b.bodyBytes, 0) / count;
    const txs = published.reduce((n, b) => n + b.txs, 0) / count;
    const bound = Math.min(rawRate, kzgBound);

    console.log(`\n${title}`);
    console.log(
      `  L2 blocks on L1                            ${String(count).padStart(10)}   (${head - from + 1n} L1 blocks, published in ${seconds(publishMs)}; ${txs.toFixed(1)} txs, ${fmt(bodyBytes, 0)} body bytes, ${(blobs / count).toFixed(1)} blobs of ${BYTES_PER_BLOB} a block)`,
    );
    console.log(
      `  raw L1 fetch (logs/${BATCH}, header, tx, blob JSON; ${CONCURRENCY} at once) ${fmt(rawRate)} blocks/s (${fmt(rate(rawBefore.ms), 0)} before, ${fmt(rate(rawAfter.ms), 0)} after)`,
    );
    console.log(
      `  KZG bound, ${CORES} cores                         ${fmt(kzgBound)} blocks/s (c-kzg commitments ${commitMs.toFixed(1)} ms a block on one core; ` +
        `batched proof checks would be ${proofMs.toFixed(2)} ms, ${fmt((CORES * 1000) / proofMs, 0)} blocks/s)`,
    );
    console.log(
      `  KZG on a pool of ${CORES} threads, measured     ${fmt(poolRate)} blocks/s (${ratio(poolRate / kzgBound)} the bound: what this machine's load leaves of its cores)`,
    );
    console.log(
      `  archiver sync, ${String(CORES).padStart(2)} KZG threads, real world state ${fmt(syncRate)} blocks/s  ${ratio(syncRate / rawRate)} raw  ${ratio(syncRate / kzgBound)} KZG bound  ${ratio(syncRate / bound)} min  (${seconds(pooled.ms)}; workers warmed up in ${seconds(pooled.warmUpMs)})`,
    );
    const per = (ms: number) => `${(ms / count).toFixed(2)} ms`;
    const { apply, applyInTx, treeCommit, transactions } = pooled.spent;
    console.log(
      `  per block (real world state): fetch ${(1000 / rawRate).toFixed(2)} ms (wall, ${CONCURRENCY} at once), KZG ${commitMs.toFixed(2)} ms (one core, on ${CORES} workers), ` +
        `decode ${decodeMs.toFixed(2)} ms, world-state apply ${per(apply)}, tree commit ${per(treeCommit)}, ` +
        `rest of the store commit ${per(transactions - applyInTx - treeCommit)}; sync wall ${per(pooled.ms)}`,
    );
    const recRate = rate(recorder.ms);
    console.log(
      `  archiver sync, ${String(CORES).padStart(2)} KZG threads, no trees     ${fmt(recRate)} blocks/s  ${ratio(recRate / rawRate)} raw  ${ratio(recRate / kzgBound)} KZG bound  ${ratio(recRate / bound)} min  (${seconds(recorder.ms)})`,
    );
    console.log(
      `                                            no trees: ${ratio(recRate / poolRate)} the measured pool KZG rate`,
    );
    console.log(
      `  archiver sync, KZG on the main thread, no trees ${fmt(rate(inline.ms))} blocks/s  ${ratio(rate(inline.ms) / rawRate)} raw  (${seconds(inline.ms)})`,
    );
    console.log(
      `  KZG commitments computed by the sync      ${fmt(pooled.computed)} for ${blobs} blobs (${pooled.cacheHits} checks answered by the cache)`,
    );
    for (const [what, r] of [
      ['real world state', syncRate],
      ['no trees', recRate],
    ] as const) {
      const goals = [`>= 0.9x raw: ${r >= 0.9 * rawRate ? 'met' : 'NOT met'}`];
      if (rawRate > kzgBound) goals.push(`>= 0.85x KZG bound: ${r >= 0.85 * kzgBound ? 'met' : 'NOT met'}`);
      if (target.blocksPerSecond !== undefined) {
        goals.push(`>= ${target.blocksPerSecond} blocks/s: ${r >= target.blocksPerSecond ? 'met' : 'NOT met'}`);
      }
      console.log(`  targets (${what}): ${goals.join('; ')}`);
    }
  } finally {
    await chain?.close();
    await l1.stop();
  }
}

console.log(`archiver sync bench: ${CORES} cores (availableParallelism), KZG worker threads = cores`);
await runCase(`blocks with ${FULL_BLOBS} full blob(s) and a partly filled one`, N, chain => bigBody(chain), {});
await runCase('near-empty blocks (0 or 1 tx, one blob)', EMPTY_N, (chain, i) => chain.fresh.effects(i % 2), {
  blocksPerSecond: 150,
});
