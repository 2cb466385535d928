import {
  cpSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { RollupContract } from '../../src/l1/contracts/index.js';
import { nodeAdminApiSchema, nodeApiSchema } from '../../src/node/api/schema.js';
import type { RunningNode } from '../../src/node/aztec-node.js';
import { syncFromSnapshot } from '../../src/snapshot/import.js';
import { until } from '../helpers/in-process-network.js';
import { startTestL1, type TestL1 } from '../helpers/l1.js';
import {
  changeBlockHeader,
  changeNullifierLeaf,
  readSnapshotIndexFile,
  tamperSnapshot,
  writeSnapshotIndexFile,
} from '../../src/snapshot/testing/tamper.js';
import { nodeAtBlock, startSyncNode } from '../helpers/sync-node.js';
import { ValidChainPublisher } from '../helpers/valid-chain.js';

/**
 * Snapshot sync end to end, on a real anvil with the contracts: a chain of BLOCKS blocks with txs (built on a world
 * state of the test's and proposed with their bodies in blobs), a node that syncs it fully from L1 and exports a
 * snapshot through its admin API while it runs, the snapshot served over HTTP on 127.0.0.1, and new nodes that join
 * from it (checked against the Rollup) or refuse tampered copies and sync fully. Join and full-sync times are
 * printed, not asserted (bench/snapshot.bench.ts compares them).
 */
const BLOCKS = Number(process.env['SNAPSHOT_E2E_BLOCKS'] ?? 100);

let l1: TestL1;
let chain: ValidChainPublisher;
let server: Server;
let baseUrl: string;
const root = mkdtempSync(join(tmpdir(), 'aztec-snapshot-e2e-'));
const nodes: RunningNode[] = [];
const logs: string[] = [];
let fullSyncSeconds = 0;
let full: RunningNode;
/** Prints a figure (not asserted: timings belong to bench/snapshot.bench.ts). */
const figure = (line: string) => process.stdout.write(`${line}\n`);

async function startNode(name: string, env: Record<string, string> = {}): Promise<RunningNode> {
  const node = await startSyncNode(l1, join(root, name), env);
  nodes.push(node);
  return node;
}

const tipOf = (node: RunningNode) => createRpcClient(node.rpcUrl, 'node', nodeApiSchema).getL2Tips();
const atBlock = (node: RunningNode, n: number | bigint) => nodeAtBlock(node, n);

/** Serves `root` read-only over HTTP on 127.0.0.1 (the snapshot host). */
async function serve(): Promise<void> {
  server = createServer((req, res) => {
    const path = join(root, normalize(decodeURIComponent(req.url ?? '/')).replace(/^(\.\.[/\\])+/, ''));
    if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': statSync(path).size });
    createReadStream(path).pipe(res);
  });
  const port = await getFreePort();
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  // The snapshot module's info lines are what the test reads (the suite's default level is warn).
  const echo = process.env['SNAPSHOT_E2E_DEBUG'] !== undefined;
  configureLogging({
    level: 'warn;info:snapshot',
    json: true,
    sink: line => {
      logs.push(line);
      if (echo)
        process.stderr.write(`${line}
`);
    },
  });
  l1 = await startTestL1({ proofSubmissionWindow: 1_000_000n });
  chain = await ValidChainPublisher.start(l1);
  const t0 = performance.now();
  for (let i = 0; i < BLOCKS; i++) await chain.publish(2);
  figure(`published ${BLOCKS} blocks with 2 txs each in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await serve();
  const t1 = performance.now();
  full = await startNode('full');
  await atBlock(full, BLOCKS);
  fullSyncSeconds = (performance.now() - t1) / 1000;
  figure(
    `full sync of ${BLOCKS} blocks: ${fullSyncSeconds.toFixed(2)} s (${(BLOCKS / fullSyncSeconds).toFixed(1)} blocks/s)`,
  );
}, 600_000);

afterAll(async () => {
  for (const node of nodes.reverse()) await node.stop();
  await new Promise(resolve => (server ? server.close(resolve) : resolve(undefined)));
  await chain?.close();
  await l1?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('snapshot sync', () => {
  it('a running node exports a snapshot; a new node joins from it over HTTP and follows the tip', async () => {
    const admin = createRpcClient(full.adminUrl, 'nodeAdmin', nodeAdminApiSchema);
    const t0 = performance.now();
    const index = await admin.exportSnapshot(join(root, 'good'));
    figure(
      `export at block ${index.blockNumber}: ${((performance.now() - t0) / 1000).toFixed(2)} s, ${index.files[0]!.bytes} bytes`,
    );
    expect(index.blockNumber).toBeGreaterThanOrEqual(BLOCKS);
    expect((await tipOf(full)).latest.number).toBeGreaterThanOrEqual(BLOCKS); // still serving

    const t1 = performance.now();
    const joined = await startNode('joined', {
      SYNC_MODE: 'snapshot',
      SYNC_SNAPSHOTS_URLS: `${baseUrl}/good/`,
      SYNC_SNAPSHOTS_MIN_BLOCKS_BEHIND: '10',
    });
    await atBlock(joined, BLOCKS);
    const joinSeconds = (performance.now() - t1) / 1000;
    figure(
      `join from snapshot: ${joinSeconds.toFixed(2)} s = ${((joinSeconds / fullSyncSeconds) * 100).toFixed(0)}% of the full sync`,
    );
    expect(
      logs.some(l => l.includes('"msg":"Snapshot imported"') && l.includes(`"blockNumber":${index.blockNumber}`)),
    ).toBe(true);
    expect(
      logs.some(l => l.includes('"msg":"Downloading snapshot"') || l.includes('"msg":"Downloaded snapshot file"')),
    ).toBe(true);

    // Follows the tip: new blocks on L1 arrive on both nodes.
    await chain.publish(2);
    await chain.publish(1);
    await atBlock(full, BLOCKS + 2);
    await atBlock(joined, BLOCKS + 2);

    // The guide's two curls answer alike on the joined and the fully synced node.
    const a = createRpcClient(full.rpcUrl, 'node', nodeApiSchema);
    const b = createRpcClient(joined.rpcUrl, 'node', nodeApiSchema);
    await until('the same proven tip', async () => isDeepStrictEqual(await a.getL2Tips(), await b.getL2Tips()));
    expect(await b.getL2Tips()).toEqual(await a.getL2Tips());
    const n = BLOCKS + 2;
    for (const [block, leaf] of [
      [n, n],
      [n, 1],
      [BLOCKS, BLOCKS - 7],
    ] as const) {
      expect(await b.getArchiveSiblingPath(block, leaf)).toBe(await a.getArchiveSiblingPath(block, leaf));
    }
  }, 300_000);

  it('refuses tampered snapshots, each naming its check and keeping nothing; the node then syncs fully', async () => {
    const good = join(root, 'good');
    const index = readSnapshotIndexFile(good);
    const copy = (name: string) => {
      cpSync(good, join(root, name), { recursive: true });
      return join(root, name);
    };
    // One nullifier-tree leaf changed and one block header changed (the index's sha256 rewritten to match, as a
    // dishonest host would), an index that lies about n, and a truncated data file.
    await tamperSnapshot(copy('nullifier'), changeNullifierLeaf);
    await tamperSnapshot(copy('header'), store => changeBlockHeader(store, 10));
    writeSnapshotIndexFile(copy('lying'), { ...index, blockNumber: index.blockNumber - 1 });
    const cut = join(copy('truncated'), 'node.mdb.gz');
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    const urls = ['header', 'lying', 'nullifier', 'truncated'].map(n => `${baseUrl}/${n}/`);

    const dir = join(root, 'refusing');
    const rollup = new RollupContract(l1.publicClient, l1.deployment.addresses.rollup);
    const outcome = await syncFromSnapshot({
      config: { syncMode: 'force-snapshot', snapshotsUrls: urls, snapshotMinBlocksBehind: 0 },
      dataDirectory: dir,
      storeName: 'node',
      l1ChainId: 31337,
      rollupAddress: l1.deployment.addresses.rollup,
      l1: { archiveAt: n => rollup.archiveAt(n), pendingBlockNumber: async () => (await rollup.getTips()).pending },
    });
    expect(outcome.kind === 'none-verified' && outcome.failures.map(f => [f.url, f.check]).sort()).toEqual([
      [`${urls[0]}index.json`, 'archive-leaves'],
      [`${urls[1]}index.json`, 'index'],
      [`${urls[2]}index.json`, 'tree-nodes'],
      [`${urls[3]}index.json`, 'sha256'],
    ]);
    expect(readdirSync(dir)).toEqual([]);

    // A node given only tampered snapshots starts anyway and syncs from L1.
    const node = await startNode('refusing', { SYNC_MODE: 'force-snapshot', SYNC_SNAPSHOTS_URLS: urls.join(',') });
    const tip = (await tipOf(full)).latest.number;
    await atBlock(node, tip);
    expect((await tipOf(node)).latest).toEqual((await tipOf(full)).latest);
    expect(logs.some(l => l.includes('"msg":"No snapshot verified: syncing from L1"'))).toBe(true);
  }, 300_000);
});
