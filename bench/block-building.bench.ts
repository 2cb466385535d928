// Block building rate (txs executed and packed into a block per second: signature recovery, checks, world-state
// fork writes, body, blobs with KZG commitments, header), with where each block's time went, next to the 1,000 tx/s
// target and to the raw sha256ToField rate measured in the same run (before and after: the machine may be busy).
// Run: npx tsx bench/block-building.bench.ts [txsPerBlock] [blocks]
import { randomBytes } from 'node:crypto';

import { configureLogging } from '../src/foundation/log/index.js';
import { sha256Count, sha256ToField } from '../src/foundation/crypto/index.js';
import { hasNativeSecp256k1 } from '../src/foundation/crypto/secp256k1.js';
import { buildBlock, type BuildBlockTimings } from '../src/protocol/block/index.js';
import {
  ALICE,
  ALICE_KEY,
  commitFundingBlock,
  makeTx,
  openTestWorld,
  testGlobals,
  TEST_PORTAL,
  TEST_CHAIN_ID,
} from '../src/protocol/testing/index.js';

configureLogging({ level: 'warn' });
const TXS = Number(process.argv[2] ?? 64);
const BLOCKS = Number(process.argv[3] ?? 10);
/** The target for 64-tx blocks. */
const TARGET_TX_PER_S = 1000;

const a = randomBytes(32);
const b = randomBytes(32);
function hashRate(): number {
  const start = performance.now();
  for (let i = 0; i < 200_000; i++) sha256ToField(a, b);
  return 200_000 / ((performance.now() - start) / 1000);
}
const hashesBefore = hashRate();

const PARTS = ['signaturesMs', 'executionMs', 'treeInsertsMs', 'blobEncodingMs', 'commitmentsMs', 'headerMs'] as const;
const LABELS: Record<(typeof PARTS)[number], string> = {
  signaturesMs: 'signature checks',
  executionMs: 'execution (checks, state rules)',
  treeInsertsMs: 'tree inserts (batched) and roots',
  blobEncodingMs: 'body and blob encoding',
  commitmentsMs: 'KZG commitments, versioned hashes',
  headerMs: 'header hash, archive',
};

const world = await openTestWorld();
try {
  await commitFundingBlock(world, [[ALICE, 10n ** 30n]]);
  let built = 0;
  let signing = 0;
  let hashes = 0;
  const sum: BuildBlockTimings = {
    signaturesMs: 0,
    executionMs: 0,
    treeInsertsMs: 0,
    blobEncodingMs: 0,
    commitmentsMs: 0,
    headerMs: 0,
    totalMs: 0,
  };
  for (let blk = 0; blk < BLOCKS; blk++) {
    const s = performance.now();
    const txs = await Promise.all(Array.from({ length: TXS }, () => makeTx(ALICE_KEY)));
    signing += performance.now() - s;
    const fork = world.worldState.fork();
    const blockNumber = fork.baseBlockNumber + 1n;
    const hashesAtStart = sha256Count();
    const result = await buildBlock({
      fork,
      txs,
      globals: testGlobals(blockNumber),
      l1ToL2Messages: [],
      l1ChainId: TEST_CHAIN_ID,
      feeJuicePortal: TEST_PORTAL,
      maxTxsPerBlock: TXS,
    });
    hashes += sha256Count() - hashesAtStart;
    for (const k of Object.keys(sum) as (keyof BuildBlockTimings)[]) sum[k] += result.timings[k];
    built += result.included.length;
    if (result.included.length !== TXS) throw new Error(`only ${result.included.length} of ${TXS} txs included`);
    world.store.transactionSync(() => fork.commitSync(blockNumber));
  }
  const hashesAfter = hashRate();
  const hashBound = (hashesBefore + hashesAfter) / 2;
  const txRate = built / (sum.totalMs / 1000);
  const perTxMs = sum.totalMs / built;
  const hashesPerTx = hashes / built;
  const hashMsPerTx = (hashesPerTx / hashBound) * 1000;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

  console.log(`block building: ${BLOCKS} blocks of ${TXS} txs (native secp256k1: ${hasNativeSecp256k1()})`);
  console.log(`  per block (mean over ${BLOCKS}):`);
  for (const k of PARTS) {
    const ms = sum[k] / BLOCKS;
    const share = (100 * sum[k]) / sum.totalMs;
    console.log(`    ${LABELS[k].padEnd(36)} ${ms.toFixed(2).padStart(8)} ms  ${share.toFixed(0).padStart(3)}%`);
  }
  console.log(`    ${'total'.padEnd(36)} ${(sum.totalMs / BLOCKS).toFixed(2).padStart(8)} ms`);
  console.log(
    `  block building:             ${fmt(txRate)} tx/s = ${(txRate / TARGET_TX_PER_S).toFixed(2)}× the ${fmt(TARGET_TX_PER_S)} tx/s target`,
  );
  console.log(
    `  raw sha256ToField (64 B):   ${fmt(hashBound)} hashes/s on one core (${fmt(hashesBefore)} before, ${fmt(hashesAfter)} after)`,
  );
  console.log(
    `  sha256 per tx:              ${hashesPerTx.toFixed(1)} (${hashMsPerTx.toFixed(3)} ms at that rate; a tx takes ` +
      `${perTxMs.toFixed(3)} ms = ${(perTxMs / hashMsPerTx).toFixed(1)}× its hashing bound)`,
  );
  console.log(`  (signing the txs, not counted: ${(signing / built).toFixed(2)} ms per tx)`);
} finally {
  await world.store.close();
}
