// Applying downloaded blocks to the world state (what a syncing archiver does on its main thread), with no L1: blocks
// are built on one LMDB world state and applied (`prepareBlock` + `commitSync`, grouped in store transactions as the
// archiver commits them) to a fresh one. Printed next to the sha256 bound of the hashes each block needs, measured in
// the same run.
// Run: npx tsx bench/world-state-apply.bench.ts [full-blob blocks] [near-empty blocks] [blocks per transaction]
import { randomBytes } from 'node:crypto';

import { sha256Count, sha256ToField } from '../src/foundation/crypto/index.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { openKvStore } from '../src/kv/index.js';
import { USABLE_BYTES_PER_BLOB } from '../src/l1/blobs/index.js';
import type { L2Block } from '../src/types/l2-block.js';
import { encodeBlockBody } from '../src/types/l2-block.js';
import { TestRandom } from '../src/types/testing/random.js';
import { buildTestBlock, FreshEffects } from '../src/world-state/testing/blocks.js';
import { createWorldState } from '../src/world-state/world-state.js';

const FULL = Number(process.argv[2] ?? 16);
const EMPTY = Number(process.argv[3] ?? 200);
const GROUP = Number(process.argv[4] ?? 16);

configureLogging({ level: 'warn' });

function hashRate(): number {
  const a = randomBytes(32);
  const b = randomBytes(32);
  const start = performance.now();
  for (let i = 0; i < 100_000; i++) sha256ToField(a, b);
  return 100_000 / ((performance.now() - start) / 1000);
}

async function runCase(title: string, count: number, full: boolean): Promise<void> {
  const producer = await openKvStore({ name: 'bench-producer' });
  const consumer = await openKvStore({ name: 'bench-consumer' });
  try {
    const built = createWorldState({ store: producer, blockHistory: 64 });
    const fresh = new FreshEffects(new TestRandom(3));
    const blocks: L2Block[] = [];
    for (let i = 0; i < count; i++) {
      const body = fresh.effects(full ? 8 : i % 2);
      if (full) while (encodeBlockBody(body).length < USABLE_BYTES_PER_BLOB) body.push(...fresh.effects(8));
      const { block, fork } = buildTestBlock(built, body);
      producer.transactionSync(() => fork.commitSync(block.header.globalVariables.blockNumber));
      blocks.push(block);
    }
    const ws = createWorldState({ store: consumer, blockHistory: 64 });
    const before = hashRate();
    const h0 = sha256Count();
    let prepare = 0;
    let commit = 0;
    const start = performance.now();
    for (let i = 0; i < count; i += GROUP) {
      consumer.transactionSync(() => {
        for (const block of blocks.slice(i, i + GROUP)) {
          const t0 = performance.now();
          const fork = ws.prepareBlock(block, []);
          const t1 = performance.now();
          fork.commitSync(block.header.globalVariables.blockNumber);
          prepare += t1 - t0;
          commit += performance.now() - t1;
        }
      });
    }
    const ms = performance.now() - start;
    const hashes = (sha256Count() - h0) / count;
    const rate = (before + hashRate()) / 2;
    const b = blocks[0]!.body;
    const sum = (f: (e: (typeof b)[number]) => number) => b.reduce((n, e) => n + f(e), 0);
    console.log(`\n${title}`);
    console.log(
      `  ${count} blocks of ${b.length} txs (${sum(e => e.noteHashes.length)} note hashes, ${sum(e => e.nullifiers.length)} nullifiers, ${sum(e => e.publicDataWrites.length)} public data writes), ${GROUP} a transaction`,
    );
    console.log(
      `  applied ${(count / (ms / 1000)).toFixed(1).padStart(8)} blocks/s: prepare ${(prepare / count).toFixed(2)} ms, commit ${(commit / count).toFixed(2)} ms, ` +
        `rest (LMDB commit) ${((ms - prepare - commit) / count).toFixed(2)} ms a block`,
    );
    const boundMs = (hashes / rate) * 1000;
    console.log(
      `  sha256: ${hashes.toFixed(0)} hashes a block at ${Math.round(rate).toLocaleString('en-US')}/s = ${boundMs.toFixed(2)} ms a block ` +
        `(${(1000 / boundMs).toFixed(0)} blocks/s bound); applying runs at ${((boundMs / (ms / count)) * 100).toFixed(0)}% of it`,
    );
  } finally {
    await consumer.close();
    await producer.close();
  }
}

await runCase('blocks of one full blob', FULL, true);
await runCase('near-empty blocks (0 or 1 tx)', EMPTY, false);
