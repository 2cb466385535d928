// Block building rate (txs executed and packed into a block per second: signature recovery, checks, world-state
// fork writes, body, blobs with KZG commitments, header) next to the raw sha256ToField rate in the same run.
// Run: npx tsx bench/block-building.bench.ts [txsPerBlock] [blocks]
import { randomBytes } from 'node:crypto';

import { configureLogging } from '../src/foundation/log/index.js';
import { sha256ToField } from '../src/foundation/crypto/index.js';
import { buildBlock } from '../src/protocol/block/index.js';
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
const BLOCKS = Number(process.argv[3] ?? 5);

const a = randomBytes(32);
const b = randomBytes(32);
const hashStart = performance.now();
for (let i = 0; i < 200_000; i++) sha256ToField(a, b);
const hashRate = 200_000 / ((performance.now() - hashStart) / 1000);

const world = await openTestWorld();
try {
  await commitFundingBlock(world, [[ALICE, 10n ** 30n]]);
  let built = 0;
  let elapsed = 0;
  let signing = 0;
  for (let blk = 0; blk < BLOCKS; blk++) {
    const s = performance.now();
    const txs = await Promise.all(Array.from({ length: TXS }, () => makeTx(ALICE_KEY)));
    signing += performance.now() - s;
    const fork = world.worldState.fork();
    const blockNumber = fork.baseBlockNumber + 1n;
    const start = performance.now();
    const result = await buildBlock({
      fork,
      txs,
      globals: testGlobals(blockNumber),
      l1ToL2Messages: [],
      l1ChainId: TEST_CHAIN_ID,
      feeJuicePortal: TEST_PORTAL,
      maxTxsPerBlock: TXS,
    });
    elapsed += performance.now() - start;
    built += result.included.length;
    if (result.included.length !== TXS) throw new Error(`only ${result.included.length} of ${TXS} txs included`);
    world.store.transactionSync(() => fork.commitSync(blockNumber));
  }
  const txRate = built / (elapsed / 1000);
  console.log(`block building: ${BLOCKS} blocks of ${TXS} txs`);
  console.log(`  raw sha256ToField (64 B):  ${Math.round(hashRate).toLocaleString('en-US')} hashes/s`);
  console.log(
    `  block building:           ${txRate.toFixed(0)} txs/s  (${(elapsed / BLOCKS).toFixed(0)} ms per block)`,
  );
  console.log(`  hashes per tx at that rate: ${(hashRate / txRate).toFixed(0)} (sha256 equivalents of work per tx)`);
  console.log(`  (signing the txs, not counted: ${(signing / built).toFixed(2)} ms per tx)`);
} finally {
  await world.store.close();
}
