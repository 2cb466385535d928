import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestL1, type TestL1 } from '../../../test/helpers/l1.js';
import { Archiver } from '../../archiver/archiver.js';
import { ArchiverStore } from '../../archiver/store.js';
import { JsonRpcServer, RpcErrorCode, type RpcNamespace } from '../../foundation/json-rpc/index.js';
import { ManualClock } from '../../foundation/time/index.js';
import { asL2BlockNumber } from '../../foundation/types/branded.js';
import { RollupContract } from '../../l1/contracts/index.js';
import { buildBlock } from '../../protocol/block/index.js';
import { EpochCache } from '../../protocol/epoch/epoch-cache.js';
import { RollupBaseFees } from '../../protocol/fees/base-fee-source.js';
import { P2PService } from '../../p2p/service.js';
import { startTestNode, testServiceConfig, waitFor, type TestNode } from '../../p2p/testing/index.js';
import { epochOfSlot, slotAt } from '../../protocol/epoch/time.js';
import {
  ALICE,
  ALICE_KEY,
  freshFr,
  makeTx,
  openTestWorld,
  TEST_CHAIN_ID,
  TEST_PORTAL,
  TEST_VERSION,
  testGlobals,
  type TestWorld,
} from '../../protocol/testing/index.js';
import { SentinelStats, SentinelStore } from '../../sentinel/index.js';
import { TxPool } from '../../tx-pool/index.js';
import { l2BlockToJSON } from '../../types/block-json.js';
import { feeJuiceBalanceSlot } from '../../types/fee-juice.js';
import { frToHex, type Fr } from '../../types/fr.js';
import { blockHeaderToJSON, gasFeesToJSON } from '../../types/header-json.js';
import { headerHash } from '../../types/header-codec.js';
import type { L2Block } from '../../types/l2-block.js';
import { l2TipsToJSON } from '../../types/tips.js';
import { txToJSON } from '../../types/tx-json.js';
import { txHash, type Tx } from '../../types/index.js';
import { exportSnapshot } from '../../snapshot/export.js';
import { adminNamespaces, apiNamespaces } from '../api-servers.js';
import { DoppelgangerProtection } from '../../validator/doppelganger.js';
import { SlashingProtection } from '../../validator/slashing-protection.js';
import { NODE_VERSION } from '../version.js';
import { encodeSiblingPath } from './sibling-path.js';
import { toWireAddresses } from './wire-addresses.js';

/**
 * The contract over the node's JSON-RPC schema: every method of every namespace the servers mount (`archiver_`,
 * `node_` and its `aztec_` alias, `p2p_`, `nodeAdmin_` and its `aztecAdmin_` alias) has a case checking its answer
 * against what the node's stores hold, and a case checking that bad params get -32602 naming what was expected.
 * Adding a method to the schema without both cases fails the first test here.
 *
 * The node is real down to its stores: LMDB world state, archiver store and tx pool in a temporary directory, filled
 * with blocks built by the block builder; a libp2p P2P service (discovery on, so it has an ENR) with one peer
 * connected; the namespaces are the ones `createApiServers` mounts, served over HTTP on 127.0.0.1. The archiver, the
 * base fees and the committee reads run against a real anvil with the contracts deployed (the archiver is not
 * started, so it never replaces the blocks built here).
 */

type Answer = { result: unknown } | { error: { code: number; message: string } };
type Call = (params: unknown[]) => Promise<Answer>;
interface MethodCase {
  /** Calls the method with good params and checks the answer against the stores. */
  answer(call: Call): Promise<void>;
  /** Bad params, and what the error message must say is expected. */
  badParams: { params: unknown[]; expected: RegExp };
}

const ok = async (call: Call, params: unknown[]): Promise<unknown> => {
  const a = await call(params);
  if ('error' in a) throw new Error(`expected a result, got error ${a.error.code}: ${a.error.message}`);
  return a.result;
};
const fails = async (call: Call, params: unknown[]) => {
  const a = await call(params);
  if (!('error' in a)) throw new Error(`expected an error, got ${JSON.stringify(a.result)}`);
  return a.error;
};
const noParams = { params: [1], expected: /expected no params, got 1$/ };

let l1: TestL1;
let world: TestWorld;
let chain: ArchiverStore;
let pool: TxPool;
let archiver: Archiver;
const servers: JsonRpcServer[] = [];
const urls = new Map<string, string>();
let namespaces: { ns: RpcNamespace; admin: boolean }[];
let clock: ManualClock;
let doppelganger: DoppelgangerProtection;
const WATCHED = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000b2'] as const;
const DIGEST: Hex = `0x${'d1'.repeat(32)}`;
let epochCache: EpochCache;
let baseFees: RollupBaseFees;
let p2p: P2PService;
let peer: TestNode;
let validatorStats: SentinelStats;
/** Validators of the sentinel's recorded slots (dev accounts' addresses, checksummed). */
const VALIDATOR_A: Hex = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const VALIDATOR_B: Hex = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const blocks: L2Block[] = [];
let mined: Tx;
let pending: Tx;
let dropped: Tx;
let message: Fr;
const BALANCE = 10n ** 12n;

async function commit(txs: Tx[], messages: Fr[], fund?: Fr): Promise<L2Block> {
  const fork = world.worldState.fork();
  if (fund) fork.writePublicData(feeJuiceBalanceSlot(fund), BALANCE as Fr);
  const n = fork.baseBlockNumber + 1n;
  const built = await buildBlock({
    fork,
    txs,
    globals: testGlobals(n),
    l1ToL2Messages: messages,
    l1ChainId: TEST_CHAIN_ID,
    feeJuicePortal: TEST_PORTAL,
  });
  expect(built.failed).toEqual([]);
  const block = built.block;
  world.store.transactionSync(() => {
    fork.commitSync(n);
    chain.addBlock({
      block,
      headerHash: headerHash(block.header),
      l1: {
        l1BlockNumber: 1n,
        l1BlockHash: `0x${'ab'.repeat(32)}`,
        l1TxHash: `0x${'cd'.repeat(32)}`,
        l1Timestamp: 1n,
        attestations: 0,
      },
    });
  });
  blocks.push(block);
  return block;
}

beforeAll(async () => {
  l1 = await startTestL1();
  world = await openTestWorld();
  chain = new ArchiverStore(world.store);
  // Block 1 funds Alice and carries one L1→L2 message; block 2 mines one of her txs.
  message = freshFr();
  await commit([], [message], ALICE);
  chain.addL1ToL2Messages([
    { l2BlockNumber: 1n, index: 0n, leaf: message, l1BlockNumber: 1n, l1BlockHash: `0x${'ab'.repeat(32)}` },
  ]);
  mined = await makeTx(ALICE_KEY);
  await commit([mined], []);
  chain.setProvenBlockNumber(1n);
  pool = new TxPool({
    store: world.store,
    worldState: world.worldState,
    l1ChainId: TEST_CHAIN_ID,
    version: TEST_VERSION,
    feeJuicePortal: TEST_PORTAL,
  });
  // One pending tx, and one dropped: replaced by a tx paying more with the same nullifier.
  const nullifier = freshFr();
  const fees = (feePerL2Gas: bigint) => ({
    gasSettings: { gasLimits: { daGas: 1000, l2Gas: 100_000 }, maxFeesPerGas: { feePerDaGas: 10n, feePerL2Gas } },
  });
  dropped = await makeTx(ALICE_KEY, { nullifiers: [nullifier], ...fees(10n) });
  pending = await makeTx(ALICE_KEY, { nullifiers: [nullifier], ...fees(20n) });
  expect((await pool.add(dropped)).accepted).toBe(true);
  expect((await pool.add(pending)).accepted).toBe(true);

  const rollup = new RollupContract(l1.publicClient, l1.deployment.addresses.rollup);
  const constants = await rollup.getConstants();
  archiver = new Archiver(
    { rollupAddress: rollup.address, pollingIntervalMs: 1_000, batchSize: 100 },
    {
      publicClient: l1.publicClient,
      blobSource: { getBlobs: () => Promise.reject(new Error('the archiver is not started in this test')) },
      store: chain,
      worldState: world.worldState,
    },
  );
  const latest = await l1.publicClient.getBlock({ blockTag: 'latest' });
  clock = new ManualClock(Number(latest.timestamp) * 1000);
  epochCache = new EpochCache(rollup, constants, clock);
  // The Rollup's base fees, as the node reads them (not refreshed during the test).
  baseFees = new RollupBaseFees({ rollup, constants, clock }, { intervalMs: 3_600_000 });
  await baseFees.start();
  // P2P on, with discovery (so the node has an ENR), and one peer connected to it.
  p2p = await P2PService.create(await testServiceConfig({ discovery: true, p2pIp: '127.0.0.1' }), { txPool: pool });
  await p2p.start();
  peer = await startTestNode();
  await peer.p2p.dial(p2p.getMultiaddrs()[0] ?? '');
  await waitFor('the peer to connect', () => p2p.isConnected(peer.p2p.peerId));
  const enr = p2p.getEnr();
  if (!enr) throw new Error('the P2P service has no ENR with discovery on');
  // The sentinel's store on the node's LMDB, with three settled slots recorded: A proposes slot 5 (mined, B attests on
  // gossip and L1), B proposes slot 6 (missed), A attests slot 7's proposal (B's again, proposed on gossip only).
  const sentinelStore = new SentinelStore(world.store, 64);
  const [a, b] = [VALIDATOR_A.toLowerCase() as Hex, VALIDATOR_B.toLowerCase() as Hex];
  sentinelStore.recordSlot(
    5n,
    new Map([
      [a, { status: 'block-mined' }],
      [b, { status: 'attestation-sent', gossip: true, l1: true }],
    ]),
  );
  sentinelStore.recordSlot(6n, new Map([[b, { status: 'block-missed' }]]));
  sentinelStore.recordSlot(
    7n,
    new Map([
      [b, { status: 'block-proposed' }],
      [a, { status: 'attestation-missed' }],
    ]),
  );
  validatorStats = new SentinelStats(sentinelStore, constants);
  const api = apiNamespaces({
    archiver,
    node: {
      chain,
      worldState: world.worldState,
      txPool: pool,
      facts: {
        nodeVersion: NODE_VERSION,
        l1ChainId: 31337,
        rollupVersion: 1,
        l1ContractAddresses: l1.deployment.addresses,
        enr,
      },
      baseFees: () => baseFees.current(),
      isReady: () => true,
      slotInfo: async () => {
        const slot = slotAt(BigInt(clock.nowMs() / 1000), constants);
        return { slot, epoch: epochOfSlot(slot, constants), proposer: await epochCache.getProposerAttester(slot) };
      },
      p2p,
      validatorStats,
    },
    status: {
      report: () => ({ ready: true, components: {} }),
      view: () => Promise.reject(new Error('no status page here')),
    },
  });
  // Two attesters on a one-epoch doppelganger watch; the first was seen signing elsewhere.
  doppelganger = new DoppelgangerProtection(
    { epochs: 1 },
    { attesters: WATCHED, constants, clock, record: new SlashingProtection(world.store, `0x${'00'.repeat(32)}`) },
  );
  doppelganger.start();
  await doppelganger.observe({
    kind: 'block',
    signer: WATCHED[0],
    slot: doppelganger.watchStartSlot!,
    digest: DIGEST,
    source: 'l1',
  });
  const admin = adminNamespaces({
    archiver,
    sequencer: undefined,
    validators: doppelganger,
    snapshot: {
      export: async out =>
        (
          await exportSnapshot({
            store: world.store,
            l1ChainId: 31337,
            rollupAddress: l1.deployment.addresses.rollup,
            out,
          })
        ).index,
    },
  });
  namespaces = [...api.map(ns => ({ ns, admin: false })), ...admin.map(ns => ({ ns, admin: true }))];
  for (const [name, list] of [
    ['rpc', api],
    ['admin', admin],
  ] as const) {
    const server = new JsonRpcServer({ host: '127.0.0.1', port: 0, namespaces: list });
    servers.push(server);
    urls.set(name, `http://127.0.0.1:${await server.start()}`);
  }
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.stop();
  await peer?.stop();
  await p2p?.stop();
  await archiver?.stop();
  await baseFees?.stop();
  await world?.store.close();
  await l1?.stop();
});

async function rpc(url: string, method: string, params: unknown[]): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as Answer;
}

const stored = (n: number) => chain.getBlock(BigInt(n))!;
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
const hex = (f: Fr) => frToHex(f);

/** Compares a witness answer with the world state's own witness at the same block. */
const witnessJson = (w: { index: bigint; siblingPath: Buffer[]; leaf?: Record<string, bigint> }) => ({
  index: w.index.toString(),
  siblingPath: encodeSiblingPath(w.siblingPath),
  ...(w.leaf
    ? { leaf: Object.fromEntries(Object.entries(w.leaf).map(([k, v]) => [k, `0x${v.toString(16).padStart(64, '0')}`])) }
    : {}),
});

const archiverCases: Record<string, MethodCase> = {
  getL2Tips: {
    answer: async call => {
      const tips = (await ok(call, [])) as { latest: { number: number; hash: string }; proven: { number: number } };
      expect(tips).toEqual(asJson(l2TipsToJSON(chain.getTips())));
      expect(tips.latest).toEqual({ number: 2, hash: hex(headerHash(blocks[1]!.header)) });
      expect(tips.proven.number).toBe(1);
    },
    badParams: noParams,
  },
  getBlockNumber: { answer: async call => expect(await ok(call, [])).toBe(2), badParams: noParams },
  getProvenBlockNumber: { answer: async call => expect(await ok(call, [])).toBe(1), badParams: noParams },
  getBlock: {
    answer: async call => {
      expect(await ok(call, [1])).toEqual(asJson(l2BlockToJSON(blocks[0]!)));
      expect(await ok(call, ['latest'])).toEqual(asJson(l2BlockToJSON(stored(2))));
      expect((await fails(call, [3])).message).toMatch(/block 3 is beyond the node's latest block 2/);
    },
    badParams: { params: ['earliest'], expected: /expected "latest" or a decimal block number/ },
  },
  getBlocks: {
    answer: async call => {
      expect(await ok(call, [1, 5])).toEqual([1, 2].map(n => asJson(l2BlockToJSON(stored(n)))));
      expect(await ok(call, [2, 1])).toEqual([asJson(l2BlockToJSON(blocks[1]!))]);
    },
    badParams: { params: [1, 0], expected: />=1[\s\S]*at \[1\]/ },
  },
  getBlockHeader: {
    answer: async call => {
      expect(await ok(call, [])).toEqual(asJson(blockHeaderToJSON(blocks[1]!.header)));
      expect(await ok(call, [1])).toEqual(asJson(blockHeaderToJSON(blocks[0]!.header)));
    },
    badParams: { params: [-1], expected: /expected "latest" or a decimal block number/ },
  },
  getL1ToL2Messages: {
    answer: async call => {
      const leaves = (await ok(call, [1])) as string[];
      expect(leaves).toHaveLength(16);
      expect(leaves[0]).toBe(hex(message));
      expect(leaves).toEqual(chain.getL1ToL2Messages(1n).map(hex));
    },
    badParams: { params: ['one'], expected: /expected a decimal block number/ },
  },
  isReady: { answer: async call => expect(await ok(call, [])).toBe(true), badParams: noParams },
};

const ws = () => world.worldState;
const nodeCases: Record<string, MethodCase> = {
  ...archiverCases,
  getArchiveSiblingPath: {
    answer: async call => {
      const path = (await ok(call, [2, 1])) as string;
      expect(path).toBe(encodeSiblingPath(ws().getSiblingPath('archive', 1n, 2n)));
      expect(Buffer.from(path, 'base64')).toHaveLength(932);
    },
    badParams: { params: [2, 'x'], expected: /expected a decimal leaf index/ },
  },
  getNoteHashSiblingPath: {
    answer: async call =>
      expect(await ok(call, ['latest', 0])).toBe(encodeSiblingPath(ws().getSiblingPath('noteHash', 0n, 2n))),
    badParams: { params: [2], expected: /expected 2 params, got 1/ },
  },
  getL1ToL2MessageSiblingPath: {
    answer: async call =>
      expect(await ok(call, [1, 0])).toBe(encodeSiblingPath(ws().getSiblingPath('l1ToL2Message', 0n, 1n))),
    badParams: { params: ['latest', -1], expected: />=0[\s\S]*at \[1\]/ },
  },
  getNullifierMembershipWitness: {
    answer: async call => {
      const nullifier = mined.nullifiers[0]!;
      expect(await ok(call, [2, hex(nullifier)])).toEqual(witnessJson(ws().getNullifierWitness(nullifier, 2n)!));
      // Block 1 does not have it yet.
      expect(await ok(call, [1, hex(nullifier)])).toBeNull();
    },
    badParams: { params: [2, '0x12'], expected: /expected a field element: 0x \+ 64 hex digits/ },
  },
  getLowNullifierMembershipWitness: {
    answer: async call => {
      const absent = freshFr();
      expect(await ok(call, [2, hex(absent)])).toEqual(witnessJson(ws().getNullifierLowLeafWitness(absent, 2n)));
    },
    badParams: { params: [2, 7], expected: /expected string, received number[\s\S]*at \[1\]/ },
  },
  getPublicDataWitness: {
    answer: async call => {
      const slot = feeJuiceBalanceSlot(ALICE);
      expect(await ok(call, [1, hex(slot)])).toEqual(witnessJson(ws().getPublicDataWitness(slot, 1n)));
    },
    badParams: { params: ['latest', 'slot'], expected: /expected a field element: 0x \+ 64 hex digits/ },
  },
  getL1ToL2MessageMembershipWitness: {
    answer: async call => {
      expect(await ok(call, [1, hex(message)])).toEqual(
        witnessJson({ index: 0n, siblingPath: ws().getSiblingPath('l1ToL2Message', 0n, 1n) }),
      );
      expect(await ok(call, [1, hex(freshFr())])).toBeNull();
    },
    badParams: { params: [1], expected: /expected 2 params, got 1$/ },
  },
  getArchiveMembershipWitness: {
    answer: async call => {
      // Leaf i of the archive tree is block i's header hash.
      const leaf = headerHash(blocks[0]!.header);
      expect(await ok(call, [2, hex(leaf)])).toEqual(
        witnessJson({ index: 1n, siblingPath: ws().getSiblingPath('archive', 1n, 2n) }),
      );
    },
    badParams: {
      params: ['2x', `0x${'11'.repeat(32)}`],
      expected: /expected "latest" or a decimal block number/,
    },
  },
  getPublicStorageAt: {
    answer: async call => {
      const slot = feeJuiceBalanceSlot(ALICE);
      const value = (await ok(call, [2, hex(slot)])) as string;
      expect(value).toBe(hex(ws().getPublicStorageAt(slot, 2n)));
      // Block 1 holds the funded balance; block 2 paid the mined tx's fee from it.
      expect(BigInt((await ok(call, [1, hex(slot)])) as string)).toBe(BALANCE);
      expect(BigInt(value)).toBe(BALANCE - blocks[1]!.body[0]!.transactionFee);
    },
    badParams: { params: [], expected: /expected 2 params, got 0$/ },
  },
  sendTx: {
    answer: async call => {
      const tx = await makeTx(ALICE_KEY);
      expect(await ok(call, [txToJSON(tx)])).toBe(hex(txHash(tx)));
      expect(pool.getTxStatus(txHash(tx))).toBe('pending');
      // Sent twice: the pool refuses it, and says why.
      const again = await fails(call, [txToJSON(tx)]);
      expect(again.code).toBe(RpcErrorCode.REJECTED);
      expect(again.message).toMatch(/already in the pool/);
    },
    badParams: { params: [{ chainId: 1 }], expected: /expected string, received undefined[\s\S]*at \[0\]\.version/ },
  },
  getTxReceipt: {
    answer: async call => {
      const block = stored(2);
      expect(await ok(call, [hex(txHash(mined))])).toEqual({
        txHash: hex(txHash(mined)),
        status: 'success',
        blockNumber: 2,
        blockHash: hex(headerHash(block.header)),
        transactionFee: block.body[0]!.transactionFee.toString(),
      });
      expect(await ok(call, [hex(txHash(pending))])).toEqual({ txHash: hex(txHash(pending)), status: 'pending' });
      const replaced = pool.getTxStatus(txHash(dropped));
      if (typeof replaced !== 'object' || replaced.status !== 'dropped')
        throw new Error('the replaced tx is not dropped');
      expect(replaced.reason).toMatch(/replaced/);
      expect(await ok(call, [hex(txHash(dropped))])).toEqual({
        txHash: hex(txHash(dropped)),
        status: 'dropped',
        error: replaced.reason,
      });
      // Unknown to this node: dropped, as Aztec's node answers, not an error.
      const unknown = hex(freshFr());
      expect(await ok(call, [unknown])).toEqual({
        txHash: unknown,
        status: 'dropped',
        error: 'Tx dropped by P2P node',
      });
    },
    badParams: { params: ['0xzz'], expected: /expected a field element: 0x \+ 64 hex digits/ },
  },
  getTxByHash: {
    answer: async call => {
      expect(await ok(call, [hex(txHash(pending))])).toEqual(asJson(txToJSON(pending)));
      expect(await ok(call, [hex(freshFr())])).toBeNull();
    },
    badParams: { params: [null], expected: /expected string, received null/ },
  },
  getPendingTxs: {
    answer: async call => {
      const txs = (await ok(call, [])) as unknown[];
      expect(txs).toEqual(pool.getPendingTxs().map(t => asJson(txToJSON(t))));
      expect(txs).toContainEqual(asJson(txToJSON(pending)));
      expect(await ok(call, [1])).toEqual([asJson(txToJSON(pool.getPendingTxs(1)[0]!))]);
    },
    badParams: { params: [0], expected: />=1[\s\S]*at \[0\]/ },
  },
  getPendingTxCount: {
    answer: async call => {
      expect(await ok(call, [])).toBe(pool.getPendingCount());
      expect(pool.getPendingCount()).toBeGreaterThanOrEqual(1);
    },
    badParams: noParams,
  },
  getNodeInfo: {
    answer: async call => {
      expect(await ok(call, [])).toEqual({
        nodeVersion: NODE_VERSION,
        l1ChainId: 31337,
        rollupVersion: 1,
        l1ContractAddresses: toWireAddresses(l1.deployment.addresses),
        enr: p2p.getEnr(),
      });
    },
    badParams: noParams,
  },
  getNodeVersion: { answer: async call => expect(await ok(call, [])).toBe(NODE_VERSION), badParams: noParams },
  getChainId: { answer: async call => expect(await ok(call, [])).toBe(l1.anvil.chainId), badParams: noParams },
  getVersion: { answer: async call => expect(await ok(call, [])).toBe(1), badParams: noParams },
  getL1ContractAddresses: {
    answer: async call => {
      const wire = (await ok(call, [])) as Record<string, string>;
      expect(wire).toEqual(toWireAddresses(l1.deployment.addresses));
      expect(wire['rollupAddress']).toBe(l1.deployment.addresses.rollup);
    },
    badParams: noParams,
  },
  getCurrentBaseFees: {
    answer: async call => {
      // The next slot's fees, as the Rollup's inputs at that slot give them.
      const expected = gasFeesToJSON(await baseFees.at(baseFees.nextSlotTimestamp()));
      expect(await ok(call, [])).toEqual(asJson(expected));
    },
    badParams: noParams,
  },
  getSlotInfo: {
    answer: async call => {
      const info = (await ok(call, [])) as { slot: number; epoch: number; proposer: Hex | null };
      const constants = await new RollupContract(l1.publicClient, l1.deployment.addresses.rollup).getConstants();
      const slot = slotAt(BigInt(clock.nowMs() / 1000), constants);
      // No validators staked on this L1: nobody proposes.
      expect(info).toEqual({ slot: Number(slot), epoch: Number(epochOfSlot(slot, constants)), proposer: null });
    },
    badParams: noParams,
  },
  getEncodedEnr: {
    answer: async call => {
      const enr = (await ok(call, [])) as string;
      expect(enr).toBe(p2p.getEnr());
      expect(enr).toMatch(/^enr:[A-Za-z0-9_-]+$/);
    },
    badParams: noParams,
  },
};

nodeCases['getValidatorsStats'] = {
  answer: async call => {
    const stats = (await ok(call, [])) as { stats: Record<string, { history: unknown[] }>; toSlot: string };
    expect(stats).toEqual(asJson(validatorStats.validatorsStats()));
    // Checksummed addresses, slots as decimal strings.
    expect(Object.keys(stats.stats)).toEqual([VALIDATOR_B, VALIDATOR_A].sort());
    expect(stats).toMatchObject({
      lastProcessedSlot: '7',
      initialSlot: '5',
      fromSlot: '5',
      toSlot: '7',
      slotWindow: 64,
    });
    expect(stats.stats[VALIDATOR_B]).toMatchObject({
      missedProposals: { currentStreak: 0, rate: 0.5, count: 1, total: 2 },
      proposals: { mined: 0, proposed: 1 },
      attestations: { sent: 1, seenOnGossip: 1, includedOnL1: 1 },
      history: [
        { slot: '5', status: 'attestation-sent' },
        { slot: '6', status: 'block-missed' },
        { slot: '7', status: 'block-proposed' },
      ],
    });
  },
  badParams: noParams,
};
nodeCases['getValidatorStats'] = {
  answer: async call => {
    expect(await ok(call, [VALIDATOR_A])).toEqual(asJson(validatorStats.validatorStats(VALIDATOR_A)));
    // Any case of the address, slots as numbers or decimal strings; the window narrows what is counted.
    const narrowed = (await ok(call, [VALIDATOR_A.toLowerCase(), '6', 7])) as {
      validator: { address: string; history: unknown[]; missedAttestations: unknown };
      fromSlot: string;
      toSlot: string;
    };
    expect(narrowed).toMatchObject({ fromSlot: '6', toSlot: '7' });
    expect(narrowed.validator.address).toBe(VALIDATOR_A);
    expect(narrowed.validator.history).toEqual([{ slot: '7', status: 'attestation-missed' }]);
    expect(narrowed.validator.missedAttestations).toEqual({ currentStreak: 1, rate: 1, count: 1, total: 1 });
    expect(await ok(call, ['0x00000000000000000000000000000000000000ff'])).toBeNull();
    const backwards = await fails(call, [VALIDATOR_A, 7, 5]);
    expect(backwards.code).toBe(RpcErrorCode.INVALID_PARAMS);
    expect(backwards.message).toMatch(/fromSlot 7 is after toSlot 5/);
  },
  badParams: { params: ['0x1234'], expected: /expected an L1 address: 0x \+ 40 hex digits/ },
};

const p2pCases: Record<string, MethodCase> = {
  getPeers: {
    answer: async call => {
      const peers = (await ok(call, [])) as { id: string; addresses: string[]; score: number }[];
      expect(peers.map(p => p.id)).toEqual(p2p.getPeerInfo().map(p => p.id));
      const other = peers.find(p => p.id === peer.p2p.peerId);
      expect(other?.addresses[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+/);
      expect(other?.score).toBe(p2p.scoring.getScore(peer.p2p.peerId));
    },
    badParams: noParams,
  },
};

const adminCases: Record<string, MethodCase> = {
  getValidatorStatus: {
    answer: async call => {
      const slot = Number(doppelganger.watchStartSlot);
      const signsFromSlot = Number(doppelganger.signsFromSlot());
      expect(await ok(call, [])).toEqual({
        doppelgangerEpochs: 1,
        watchStartSlot: slot,
        attesters: [
          {
            attester: WATCHED[0],
            doppelganger: 'detected',
            signsFromSlot,
            detected: { kind: 'block', slot, digest: DIGEST, source: 'l1' },
          },
          { attester: WATCHED[1], doppelganger: 'watching', signsFromSlot },
        ],
      });
    },
    badParams: noParams,
  },
  setConfig: {
    answer: async call => {
      // Without --sequencer the one settable key cannot be applied; an unknown key is refused naming the known ones.
      const unknown = await fails(call, [{ P2P_PORT: '1' }]);
      expect(unknown.code).toBe(RpcErrorCode.INVALID_PARAMS);
      expect(unknown.message).toMatch(
        /P2P_PORT cannot be changed at run time; settable: GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS/,
      );
      const noSequencer = await fails(call, [{ GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS: '' }]);
      expect(noSequencer.code).toBe(RpcErrorCode.UNAVAILABLE);
      expect(noSequencer.message).toMatch(/--sequencer/);
    },
    badParams: {
      params: [{ GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS: 5 }],
      expected: /expected string, received number[\s\S]*GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS/,
    },
  },
  pauseSync: {
    answer: async call => {
      expect(await ok(call, [])).toBeNull();
      expect(archiver.isPaused()).toBe(true);
    },
    badParams: noParams,
  },
  resumeSync: {
    answer: async call => {
      await archiver.pauseSync();
      expect(await ok(call, [])).toBeNull();
      expect(archiver.isPaused()).toBe(false);
      await archiver.pauseSync(); // keep the (unstarted) archiver from syncing over the test's blocks
    },
    badParams: noParams,
  },
  rollbackTo: {
    answer: async call => {
      const latest = chain.getLatestBlockNumber();
      const beyond = await fails(call, [Number(latest) + 1]);
      expect(beyond.code).toBe(RpcErrorCode.INVALID_PARAMS);
      expect(beyond.message).toMatch(`cannot roll back to block ${latest + 1n}: latest block is ${latest}`);
      // Runs last of the cases that read blocks: rolls the store and the world state back one block.
      const target = latest - 1n;
      expect(await ok(call, [Number(target)])).toBeNull();
      expect(chain.getLatestBlockNumber()).toBe(asL2BlockNumber(target));
      expect(ws().getBlockNumber()).toBe(target);
    },
    badParams: { params: ['latest'], expected: /expected a decimal block number/ },
  },
  exportSnapshot: {
    answer: async call => {
      // Exports the running store (no service stopped) to a directory: the index names the tip and its roots.
      const dir = mkdtempSync(join(tmpdir(), 'aztec-snapshot-rpc-'));
      try {
        if (chain.getLatestBlockNumber() === 0n) {
          // The alias runs after both rollbacks: at genesis there is nothing to export, and the node says so.
          const empty = await fails(call, [join(dir, 'snap')]);
          expect(empty.code).toBe(RpcErrorCode.INVALID_PARAMS);
          expect(empty.message).toMatch(/holds no block yet/);
          return;
        }
        const index = (await ok(call, [join(dir, 'snap')])) as { blockNumber: number; archiveRoot: string };
        expect(index.blockNumber).toBe(Number(chain.getLatestBlockNumber()));
        expect(index.archiveRoot).toBe(frToHex(ws().getRoot('archive')));
        expect(JSON.parse(readFileSync(join(dir, 'snap', 'index.json'), 'utf8'))).toEqual(index);
        expect(existsSync(join(dir, 'snap', 'node.mdb.gz'))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    badParams: { params: [7], expected: /expected string, received number/ },
  },
};

/** Which case table covers a namespace: its aliases share their original's. */
const CASES_BY_NAMESPACE: Record<string, Record<string, MethodCase>> = {
  archiver: archiverCases,
  node: nodeCases,
  aztec: nodeCases,
  p2p: p2pCases,
  nodeAdmin: adminCases,
  aztecAdmin: adminCases,
};

/** Every method the servers mount, in the order they are served (the admin ones last: rollbackTo changes state). */
function servedMethods(): { method: string; name: string; ns: RpcNamespace; admin: boolean }[] {
  return namespaces.flatMap(({ ns, admin }) =>
    Object.keys(ns.schema).map(name => ({ method: `${ns.namespace}_${name}`, name, ns, admin })),
  );
}

describe('JSON-RPC schema contract', () => {
  it('mounts every namespace of the schema, aliases included', () => {
    expect(namespaces.map(n => n.ns.namespace)).toEqual([
      'archiver',
      'node',
      'aztec',
      'p2p',
      'nodeAdmin',
      'aztecAdmin',
    ]);
  });

  it('has, for every served method, a case for its answer and one for its bad-params error', () => {
    const missing = servedMethods()
      .filter(({ ns, name }) => {
        const c = CASES_BY_NAMESPACE[ns.namespace]?.[name];
        return !c || typeof c.answer !== 'function' || c.badParams.params === undefined;
      })
      .map(m => m.method);
    expect(missing).toEqual([]);
    // No case for a method the schema no longer has (a renamed method would otherwise keep a dead case).
    for (const [namespace, cases] of Object.entries(CASES_BY_NAMESPACE)) {
      const served = namespaces.find(n => n.ns.namespace === namespace);
      if (served) expect(Object.keys(cases).sort()).toEqual(Object.keys(served.ns.schema).sort());
    }
  });

  describe('answers', () => {
    it('every method answers what the stores hold', async () => {
      for (const { method, name, ns, admin } of servedMethods()) {
        const c = CASES_BY_NAMESPACE[ns.namespace]![name]!;
        const url = urls.get(admin ? 'admin' : 'rpc')!;
        try {
          await c.answer(params => rpc(url, method, params));
        } catch (err) {
          throw new Error(`${method}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      }
    });
  });

  it('every method answers bad params with -32602 naming the method and what it expected', async () => {
    const wrong: string[] = [];
    for (const { method, name, ns, admin } of servedMethods()) {
      const { params, expected } = CASES_BY_NAMESPACE[ns.namespace]![name]!.badParams;
      const answer = await rpc(urls.get(admin ? 'admin' : 'rpc')!, method, params);
      const error = 'error' in answer ? answer.error : undefined;
      const good =
        error?.code === RpcErrorCode.INVALID_PARAMS &&
        error.message.startsWith(`Invalid params for ${method}: `) &&
        expected.test(error.message);
      if (!good)
        wrong.push(
          `${method}(${JSON.stringify(params)}) → ${JSON.stringify(answer)}; wanted -32602 matching ${expected}`,
        );
    }
    expect(wrong).toEqual([]);
  });
});
