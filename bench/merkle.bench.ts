// Merkle tree throughput next to the raw sha256ToField rate of this machine, measured in the same run.
// Run: npx tsx bench/merkle.bench.ts [leaves]
import { randomBytes } from 'node:crypto';

import { sha256ToField } from '../src/foundation/crypto/index.js';
import { openKvStore } from '../src/kv/index.js';
import { AppendOnlyTree, IndexedTree, nullifierLeaf, nullifierLeafType } from '../src/merkle/index.js';

const N = Number(process.argv[2] ?? 20_000);

function rate(count: number, run: () => void): number {
  const start = performance.now();
  run();
  return count / ((performance.now() - start) / 1000);
}

function randomField(): bigint {
  const b = randomBytes(32);
  b[0] = 0;
  return BigInt('0x' + b.toString('hex'));
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(10);

const a = randomBytes(32);
const b = randomBytes(32);
// Measured before and after the trees (the machine may be busy); the ratios use the mean.
const hashRate = () =>
  rate(200_000, () => {
    for (let i = 0; i < 200_000; i++) sha256ToField(a, b);
  });
const hashesBefore = hashRate();

const store = await openKvStore({ name: 'bench' });
try {
  const leaves = Array.from({ length: N }, () => randomBytes(32));

  const oneBlock = new AppendOnlyTree(store, { name: 'one-block', height: 40 });
  const appendOne = rate(N, () => {
    const fork = oneBlock.fork();
    fork.appendLeaves(leaves);
    store.transactionSync(() => fork.commit(1n));
  });

  const perBlock = 256;
  const blocks = new AppendOnlyTree(store, { name: 'blocks', height: 40 });
  const appendBlocks = rate(N, () => {
    for (let v = 0; v * perBlock < N; v++) {
      const fork = blocks.fork();
      fork.appendLeaves(leaves.slice(v * perBlock, (v + 1) * perBlock));
      store.transactionSync(() => fork.commit(BigInt(v)));
    }
  });

  const pathReads = 2_000;
  const paths = rate(pathReads, () => {
    for (let i = 0; i < pathReads; i++) {
      const index = (i * 7919) % N;
      blocks.getSiblingPath(BigInt(index), BigInt(Math.floor(index / perBlock)));
    }
  });

  const M = Math.min(N, 10_000);
  const values = Array.from({ length: M }, randomField);
  const nullifiers = new IndexedTree(store, { name: 'nullifiers', height: 40, leafType: nullifierLeafType });
  const perBlockIndexed = 128;
  const inserts = rate(M, () => {
    for (let v = 1; (v - 1) * perBlockIndexed < M; v++) {
      const fork = nullifiers.fork();
      fork.insertMany(values.slice((v - 1) * perBlockIndexed, v * perBlockIndexed).map(nullifierLeaf));
      store.transactionSync(() => fork.commit(BigInt(v)));
    }
  });

  const hashesAfter = hashRate();
  const hashes = (hashesBefore + hashesAfter) / 2;
  console.log(
    `sha256ToField (64-byte input)          ${fmt(hashes)} hashes/s (${fmt(hashesBefore)} before, ${fmt(hashesAfter)} after)`,
  );
  console.log(
    `append-only h=40, 1 fork+commit of ${N}  ${fmt(appendOne)} leaves/s  (${(appendOne / hashes).toFixed(2)} × hash rate)`,
  );
  console.log(
    `append-only h=40, blocks of ${perBlock}           ${fmt(appendBlocks)} leaves/s  (${(appendBlocks / hashes).toFixed(2)} × hash rate)`,
  );
  console.log(
    `indexed h=40, ${M} inserts, blocks of ${perBlockIndexed} ${fmt(inserts)} inserts/s (${(inserts / hashes).toFixed(3)} × hash rate)`,
  );
  console.log(`historical sibling paths (h=40)        ${fmt(paths)} paths/s`);
} finally {
  await store.close();
}
