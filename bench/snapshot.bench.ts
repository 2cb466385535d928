// Snapshot sync against full sync, on one chain in one run: a local anvil with N valid blocks (2 txs each, bodies in
// blobs), a node that syncs them fully from L1, an export of its store through nodeAdmin_exportSnapshot, and a
// download plus verification of that snapshot over loopback HTTP (what a joining node does before it starts). The
// issue's bound: joining takes at most 10% of the full sync. A second part builds a store of M blocks without L1
// (the world state's test sequencer; archiveAt answered from the chain itself) to show how export and verification
// scale with length.
// Run: npx tsx bench/snapshot.bench.ts [L1 blocks, default 100] [store-only blocks, default 1000]
// (BENCH_LONG=1, as `npm run bench -- --long` sets it: 1,000 L1 blocks and 10,000 store-only blocks; the full sync of
// 10,000 blocks from L1 is bench/sync-length.bench.ts's long run.)
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Hex } from 'viem';

import { ArchiverStore } from '../src/archiver/store.js';
import { createRpcClient } from '../src/foundation/json-rpc/index.js';
import { configureLogging } from '../src/foundation/log/index.js';
import { getFreePort } from '../src/foundation/net/free-port.js';
import { openKvStore } from '../src/kv/index.js';
import { RollupContract } from '../src/l1/contracts/index.js';
import { nodeAdminApiSchema } from '../src/node/api/schema.js';
import { exportDataDirectory } from '../src/snapshot/export.js';
import { syncFromSnapshot } from '../src/snapshot/import.js';
import { frToHex } from '../src/types/fr.js';
import { headerHash } from '../src/types/header-codec.js';
import { testChain } from '../src/world-state/testing/chain.js';
import { startTestL1 } from '../test/helpers/l1.js';
import { nodeAtBlock, startSyncNode } from '../test/helpers/sync-node.js';
import { ValidChainPublisher } from '../test/helpers/valid-chain.js';

const LONG = process.env['BENCH_LONG'] === '1';
const N = Number(process.argv[2] ?? (LONG ? 1000 : 100));
const M = Number(process.argv[3] ?? (LONG ? 10_000 : 1000));
configureLogging({ level: 'warn' });

/** L1 provenance and an unknown archive in the store-only part (no L1 there). */
const FAKE_L1_HASH: Hex = `0x${'ab'.repeat(32)}`;
const root = mkdtempSync(join(tmpdir(), 'aztec-snapshot-bench-'));
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (blocks: number, ms: number) => `${(blocks / (ms / 1000)).toFixed(1)} blocks/s`;
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};

const server = createServer((req, res) => {
  const path = join(root, decodeURIComponent(req.url ?? '/').replace(/\.\./g, ''));
  if (!existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-length': statSync(path).size });
  createReadStream(path).pipe(res);
});
const port = await getFreePort();
await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));

const l1 = await startTestL1({ proofSubmissionWindow: 1_000_000n });
const chain = await ValidChainPublisher.start(l1);
try {
  // Part 1: one chain on L1, full sync against download + verification of its snapshot.
  const [, publishMs] = await time(async () => {
    for (let i = 0; i < N; i++) await chain.publish(2);
  });
  const [node, fullMs] = await time(async () => {
    const n = await startSyncNode(l1, join(root, 'full'));
    await nodeAtBlock(n, N, 3_600_000);
    return n;
  });
  const admin = createRpcClient(node.adminUrl, 'nodeAdmin', nodeAdminApiSchema);
  const [index, exportMs] = await time(() => admin.exportSnapshot(join(root, 'snap')));
  await node.stop();
  const rollup = new RollupContract(l1.publicClient, l1.deployment.addresses.rollup);
  const [outcome, joinMs] = await time(() =>
    syncFromSnapshot({
      config: {
        syncMode: 'force-snapshot',
        snapshotsUrls: [`http://127.0.0.1:${port}/snap/`],
        snapshotMinBlocksBehind: 0,
      },
      dataDirectory: join(root, 'joined'),
      storeName: 'node',
      l1ChainId: 31337,
      rollupAddress: l1.deployment.addresses.rollup,
      l1: { archiveAt: n => rollup.archiveAt(n), pendingBlockNumber: async () => (await rollup.getTips()).pending },
    }),
  );
  if (outcome.kind !== 'imported') throw new Error(`the snapshot was not imported: ${JSON.stringify(outcome)}`);
  const ratio = joinMs / fullMs;
  console.log(`L1 chain: ${N} blocks, 2 txs each (published in ${s(publishMs)})`);
  console.log(`  full sync from L1             ${s(fullMs).padStart(9)}  ${rate(N, fullMs)}`);
  console.log(
    `  export (running node)         ${s(exportMs).padStart(9)}  ${rate(index.blockNumber, exportMs)}  ${index.files[0]!.bytes} bytes`,
  );
  console.log(
    `  download + verify over HTTP   ${s(joinMs).padStart(9)}  ${rate(index.blockNumber, joinMs)}  ` +
      `${(ratio * 100).toFixed(1)}% of the full sync (bound 10%: ${ratio <= 0.1 ? 'met' : 'NOT met'})`,
  );

  // Part 2: a longer store without L1, for how export and verification scale.
  const source = join(root, 'store-only');
  const archives = new Map<bigint, Hex>();
  const [, buildMs] = await time(async () => {
    const store = await openKvStore({ dataDirectory: source, name: 'node' });
    const built = testChain(store, 3, 128);
    const archiver = new ArchiverStore(store);
    for (let i = 1; i <= M; i++) {
      const { block } = built.next(2, 0);
      archives.set(BigInt(i), frToHex(block.archive.root));
      const l1Info = {
        l1BlockNumber: BigInt(i),
        l1BlockHash: FAKE_L1_HASH,
        l1TxHash: FAKE_L1_HASH,
      };
      archiver.addBlock({
        block,
        headerHash: headerHash(block.header),
        l1: { ...l1Info, l1Timestamp: BigInt(i), attestations: 0 },
      });
    }
    await store.close();
  });
  const chainId = { l1ChainId: 31337, rollupAddress: '0x00000000000000000000000000000000000000aa' as const };
  const [exported, export2Ms] = await time(() =>
    exportDataDirectory({ dataDirectory: source, storeName: 'node', out: join(root, 'snap2'), ...chainId }),
  );
  const [outcome2, verify2Ms] = await time(() =>
    syncFromSnapshot({
      config: {
        syncMode: 'force-snapshot',
        snapshotsUrls: [`http://127.0.0.1:${port}/snap2/`],
        snapshotMinBlocksBehind: 0,
      },
      dataDirectory: join(root, 'joined2'),
      storeName: 'node',
      ...chainId,
      l1: {
        archiveAt: (n): Promise<Hex> => Promise.resolve(archives.get(n) ?? FAKE_L1_HASH),
        pendingBlockNumber: () => Promise.resolve(BigInt(M)),
      },
    }),
  );
  if (outcome2.kind !== 'imported')
    throw new Error(`the store-only snapshot was not imported: ${JSON.stringify(outcome2)}`);
  console.log(`store only: ${M} blocks, 2 txs each (built in ${s(buildMs)}: world state application, no L1)`);
  console.log(
    `  export (stopped node)         ${s(export2Ms).padStart(9)}  ${rate(M, export2Ms)}  ${exported.index.files[0]!.bytes} bytes`,
  );
  console.log(`  download + verify over HTTP   ${s(verify2Ms).padStart(9)}  ${rate(M, verify2Ms)}`);
} finally {
  await chain.close();
  await l1.stop();
  await new Promise(resolve => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
}
