import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ENR } from '@chainsafe/enr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveAztecConfig } from '../../src/cli/commands/start/parse.js';
import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { nodeApiSchema, p2pApiSchema } from '../../src/node/api/schema.js';
import { startAztecNode, type RunningNode, type StartNodeOptions } from '../../src/node/aztec-node.js';
import { servingWrongBodies } from '../../src/p2p/testing/wrong-bodies.js';
import { runAztec } from '../helpers/cli.js';
import { startFlakyL1, type FlakyL1 } from '../helpers/flaky-l1.js';
import { startTestL1, type TestL1 } from '../helpers/l1.js';
import { nodeAtBlock } from '../helpers/sync-node.js';
import { ValidChainPublisher } from '../helpers/valid-chain.js';

/**
 * Block bodies past the beacon's retention, end to end on a real anvil: a chain of BLOCKS blocks with txs, and a
 * beacon proxy in front of anvil's beacon API that answers 404 for the blobs of the L1 blocks of the first PRUNED
 * L2 blocks (as a beacon node does once it pruned them). A fresh node behind the proxy syncs the whole chain from a
 * blob archive made by `aztec blobs export`; another from its P2P peers, one of which serves wrong bodies (a
 * test-only hook) and loses score.
 */
const BLOCKS = 24;
const PRUNED = 16;

let l1: TestL1;
let chain: ValidChainPublisher;
let beacon: FlakyL1;
const root = mkdtempSync(join(tmpdir(), 'aztec-blob-archive-e2e-'));
const archiveDir = join(root, 'archive');
const nodes: RunningNode[] = [];
const logs: string[] = [];
let honest: RunningNode;
/** The L1 blocks whose blobs the proxy no longer serves: their hashes, and the first L1 block it still serves. */
const prunedHashes = new Set<string>();
let firstServedL1Block = 0n;
/** Prints a figure (not asserted). */
const figure = (line: string) => process.stdout.write(`${line}\n`);

async function startNode(
  name: string,
  env: Record<string, string>,
  testing?: StartNodeOptions['testing'],
): Promise<RunningNode> {
  const flags = {
    '--l1-rpc-urls': l1.anvil.url,
    '--port': String(await getFreePort()),
    '--admin-port': String(await getFreePort()),
    '--host': '127.0.0.1',
    '--data-directory': join(root, name),
    '--archiver.pollingIntervalMs': '200',
  };
  const { config } = resolveAztecConfig({ flags, env }, { defaultNetwork: 'local' });
  const node = await startAztecNode(
    { ...config, l1: { ...config.l1, rollupAddress: l1.deployment.addresses.rollup } },
    { node: true, archiver: true, sequencer: false, proverNode: false },
    { l1Addresses: l1.deployment.addresses, ...(testing ? { testing } : {}) },
  );
  nodes.push(node);
  return node;
}

async function stopNode(node: RunningNode): Promise<void> {
  await node.stop();
  nodes.splice(nodes.indexOf(node), 1);
}

/** Settings of a node with P2P on loopback, starting discovery from `bootstrap` (ENRs). */
async function p2pEnv(bootstrap: string[] = []): Promise<Record<string, string>> {
  return {
    P2P_ENABLED: 'true',
    P2P_IP: '127.0.0.1',
    P2P_LISTEN_ADDR: '127.0.0.1',
    P2P_PORT: String(await getFreePort()),
    ...(bootstrap.length > 0 ? { BOOTSTRAP_NODES: bootstrap.join(',') } : {}),
  };
}

const api = (node: RunningNode) => createRpcClient(node.rpcUrl, 'node', nodeApiSchema);

async function enrOf(node: RunningNode): Promise<{ enr: string; peerId: string }> {
  const enr = await api(node).getEncodedEnr();
  expect(enr).not.toBeNull();
  return { enr: enr!, peerId: ENR.decodeTxt(enr!).peerId.toString() };
}

/** The `_count` of `aztec_archiver_blob_fetch_duration_seconds` for a source and outcome on `node`. */
async function fetches(node: RunningNode, source: string, outcome: 'ok' | 'error'): Promise<number> {
  const text = await node.metrics.metrics();
  const line = new RegExp(
    `^aztec_archiver_blob_fetch_duration_seconds_count\\{source="${source}",outcome="${outcome}"\\} (\\d+)$`,
    'm',
  ).exec(text);
  return Number(line?.[1] ?? 0);
}

/** The node has the honest node's chain: same tips, same archive root and body at the last block. */
async function expectSameChain(node: RunningNode): Promise<void> {
  const [mine, theirs] = [await api(node).getL2Tips(), await api(honest).getL2Tips()];
  expect(mine.latest).toEqual(theirs.latest);
  const [a, b] = [await api(node).getBlock(BLOCKS), await api(honest).getBlock(BLOCKS)];
  expect(a?.archive).toEqual(b?.archive);
  expect(a).toEqual(b);
  expect(await api(node).getBlock(1)).toEqual(await api(honest).getBlock(1));
}

beforeAll(async () => {
  configureLogging({ level: 'warn', json: true, sink: line => void logs.push(line) });
  l1 = await startTestL1({ proofSubmissionWindow: 1_000_000n });
  chain = await ValidChainPublisher.start(l1);
  for (let i = 1; i <= BLOCKS; i++) {
    const sent = await chain.publish(2);
    if (i <= PRUNED) prunedHashes.add(sent.l1BlockHash.toLowerCase());
    if (i === PRUNED + 1) firstServedL1Block = sent.l1BlockNumber;
  }
  // The beacon as it is weeks later: 404 for the blobs of the old L1 blocks, by EL hash, number or (anvil) slot.
  beacon = await startFlakyL1(l1.anvil.url, ({ path }) => {
    const id = /^\/eth\/v1\/beacon\/(?:blobs|blob_sidecars)\/([^/?]+)/.exec(path)?.[1]?.toLowerCase();
    if (id === undefined) return 'forward';
    const old = prunedHashes.has(id) || (/^\d+$/.test(id) && BigInt(id) < firstServedL1Block);
    return old ? { status: 404 } : 'forward';
  });

  // An honest node, synced from L1 while the beacon still had everything; stopped, its blobs exported, restarted.
  const first = await startNode('honest', {});
  await nodeAtBlock(first, BLOCKS);
  await stopNode(first);
  const exported = runAztec(['blobs', 'export', '--data-directory', join(root, 'honest'), '--out', archiveDir]);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toMatch(`Exported ${BLOCKS} blobs of ${BLOCKS} blocks to ${archiveDir} (${BLOCKS} new`);
  honest = await startNode('honest', await p2pEnv());
  await nodeAtBlock(honest, BLOCKS);
}, 600_000);

afterAll(async () => {
  for (const node of nodes.reverse()) await node.stop();
  await beacon?.stop();
  await chain?.close();
  await l1?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('block bodies past the beacon’s retention', () => {
  it('aztec blobs export wrote one <versionedHash>.blob file per blob', () => {
    const files = readdirSync(archiveDir);
    expect(files).toHaveLength(BLOCKS);
    expect(files.every(f => /^0x01[0-9a-f]{62}\.blob$/.test(f))).toBe(true);
  });

  it('a fresh node behind the pruned beacon syncs the whole chain from BLOB_ARCHIVE_URLS', async () => {
    const node = await startNode('from-archive', {
      L1_CONSENSUS_HOST_URLS: beacon.url,
      BLOB_ARCHIVE_URLS: pathToFileURL(archiveDir).href,
    });
    await nodeAtBlock(node, BLOCKS);
    await expectSameChain(node);
    figure(
      `from the archive: ${await fetches(node, 'archive', 'ok')} bodies, from the beacon: ` +
        `${await fetches(node, 'beacon', 'ok')} (${await fetches(node, 'beacon', 'error')} refused)`,
    );
    // The old blocks came from the archive after the beacon refused them, the new ones from the beacon.
    expect(await fetches(node, 'beacon', 'error')).toBeGreaterThanOrEqual(PRUNED);
    expect(await fetches(node, 'archive', 'ok')).toBeGreaterThanOrEqual(PRUNED);
    expect(await fetches(node, 'beacon', 'ok')).toBeGreaterThanOrEqual(BLOCKS - PRUNED);
    expect(beacon.counts().failed).toBeGreaterThan(0);
    await stopNode(node);
  }, 300_000);

  it('a fresh node without an archive syncs from its peers; a peer serving wrong bodies loses score', async () => {
    const honestPeer = await enrOf(honest);
    // A dishonest peer: synced from L1 like any node, but serving each block with its last tx effect dropped.
    const wrong = { chain: undefined as ReturnType<typeof servingWrongBodies> | undefined };
    const liar = await startNode('liar', await p2pEnv([honestPeer.enr]), {
      wrapServedChain: c => (wrong.chain = servingWrongBodies(c)),
    });
    await nodeAtBlock(liar, BLOCKS);
    const liarPeer = await enrOf(liar);

    // Discovery starts from the liar, and finds the honest node through it.
    const node = await startNode('from-peers', {
      L1_CONSENSUS_HOST_URLS: beacon.url,
      ...(await p2pEnv([liarPeer.enr])),
    });
    await nodeAtBlock(node, BLOCKS, 300_000);
    await expectSameChain(node);
    figure(
      `from peers: ${await fetches(node, 'peer', 'ok')} bodies served, ${await fetches(node, 'peer', 'error')} ` +
        `failed peer rounds, ${wrong.chain!.served()} wrong bodies served by the liar`,
    );
    expect(await fetches(node, 'peer', 'ok')).toBeGreaterThanOrEqual(PRUNED);
    expect(await fetches(node, 'beacon', 'error')).toBeGreaterThanOrEqual(PRUNED);

    // The liar served wrong bodies, the node refused each and penalized the liar (banned or with a negative score).
    expect(wrong.chain!.served()).toBeGreaterThan(0);
    const refused = logs.filter(l => l.includes('Peer served a wrong block body') && l.includes(liarPeer.peerId));
    expect(refused.length).toBeGreaterThan(0);
    expect(logs.some(l => l.includes('Peer served a wrong block body') && l.includes(honestPeer.peerId))).toBe(false);
    const penalties = /^aztec_p2p_peer_penalties_total\{code="INVALID_MESSAGE"\} (\d+)$/m.exec(
      await node.metrics.metrics(),
    );
    expect(Number(penalties?.[1] ?? 0)).toBeGreaterThan(0);
    const peers = await createRpcClient(node.rpcUrl, 'p2p', p2pApiSchema).getPeers();
    const liarNow = peers.find(p => p.id === liarPeer.peerId);
    if (liarNow) expect(liarNow.score).toBeLessThan(0);
    expect(peers.some(p => p.id === honestPeer.peerId)).toBe(true);
  }, 420_000);
});
