import { decodeFunctionData, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startFlakyL1, type FlakyL1 } from '../../test/helpers/flaky-l1.js';
import { L1BlockPublisher, type PublishedTestBlock } from '../../test/helpers/l1-blocks.js';
import { startTestL1, type TestL1 } from '../../test/helpers/l1.js';
import type { LogFields, Logger } from '../foundation/log/index.js';
import { ManualClock } from '../foundation/time/index.js';
import { createL1PublicClient, createL1WalletClient } from '../l1/clients.js';
import { RollupContract, type RollupConstants } from '../l1/contracts/index.js';
import { devAccount } from '../l1/dev-accounts.js';
import { RollupAbi } from '../l1/generated/index.js';
import { L1TxSender } from '../l1/tx-sender.js';
import { frToHex, type Fr } from '../types/fr.js';
import type { L2Block } from '../types/l2-block.js';
import { ProverNode } from './prover-node.js';

const PROVER = devAccount(6);
const PROVER_ID: Hex = `0x${PROVER.address.slice(2).toLowerCase().padStart(64, '0')}`;
const HOUR = 3_600_000;

/** A logger that keeps what the prover warns and errors about (the prover's only report of a skipped pass). */
class RecordingLogger implements Logger {
  readonly module = 'prover-node';
  readonly lines: { level: 'warn' | 'error'; msg: string; fields: LogFields | undefined }[] = [];
  trace(): void {}
  debug(): void {}
  verbose(): void {}
  info(): void {}
  warn(msg: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', msg, fields });
  }
  isLevelEnabled(): boolean {
    return true;
  }
  child(): Logger {
    return this;
  }
  text(): string {
    return this.lines
      .map(
        l =>
          `${l.level} ${l.msg} ${JSON.stringify(l.fields, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
      )
      .join('\n');
  }
}

describe('ProverNode on anvil', () => {
  let l1: TestL1;
  let blocks: L1BlockPublisher;
  let rollup: RollupContract;
  let constants: RollupConstants;
  let snapshot: Hex;
  let flaky: FlakyL1 | undefined;
  // The synced chain: the prover reads only getBlock/getLatestBlockNumber of the archiver's store, so the blocks
  // published to L1 in the test stand in for it.
  let synced: Map<bigint, L2Block>;
  // The world state's archive roots by block. A stand-in: the test blocks carry random state, which a real world
  // state could not reach; the prover only compares this root with L1's.
  let archives: Map<bigint, Fr>;
  let clock: ManualClock;
  let log: RecordingLogger;
  const nodes: ProverNode[] = [];
  const rpc = <T = unknown>(method: string, params: unknown[] = []) => blocks.rpc<T>(method, params);

  beforeAll(async () => {
    l1 = await startTestL1();
    blocks = new L1BlockPublisher(l1);
    rollup = new RollupContract(l1.publicClient, l1.deployment.addresses.rollup);
    constants = await rollup.getConstants();
  });
  afterAll(async () => {
    await l1.stop();
  });
  beforeEach(async () => {
    snapshot = await rpc<Hex>('evm_snapshot');
    synced = new Map();
    archives = new Map();
    clock = new ManualClock();
    log = new RecordingLogger();
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.stop();
    await flaky?.stop();
    flaky = undefined;
    await rpc('evm_setAutomine', [true]);
    await rpc('evm_revert', [snapshot]);
  });

  function prover(opts: { rpcUrl?: string; sendRetries?: number } = {}): ProverNode {
    const via = { rpcUrls: [opts.rpcUrl ?? l1.anvil.url], chainId: l1.anvil.chainId, pollingIntervalMs: 20 };
    const publicClient = createL1PublicClient(via);
    const sender = new L1TxSender(publicClient, createL1WalletClient(via, PROVER.privateKey), {
      pollingIntervalMs: 20,
      stallTimeMs: HOUR,
      maxReplacements: 0,
      sendRetries: opts.sendRetries ?? 0,
    });
    const node = new ProverNode(
      {
        rollup: new RollupContract(publicClient, rollup.address),
        clock,
        constants,
        chain: {
          getLatestBlockNumber: () => BigInt(synced.size),
          getBlock: n => synced.get(n),
        },
        worldState: {
          getRoot: (tree, n) => {
            const root = tree === 'archive' && n !== undefined ? archives.get(n) : undefined;
            if (root === undefined) throw new Error(`no ${tree} root for block ${n}`);
            return root;
          },
        },
        sender,
        proverId: PROVER_ID,
        pollingIntervalMs: 20,
      },
      log,
    );
    nodes.push(node);
    return node;
  }

  /** Publishes a block in the next slot and syncs it (store and world state). */
  async function publish(): Promise<PublishedTestBlock> {
    const b = await blocks.publish();
    const n = BigInt(b.block.header.globalVariables.blockNumber);
    synced.set(n, b.block);
    archives.set(n, b.block.archive.root);
    return b;
  }

  /** Mines an L1 block at the start of `slot` and moves the prover's clock there. */
  async function warpTo(slot: bigint): Promise<void> {
    await blocks.warpToSlot(slot);
    await syncClock();
  }
  async function syncClock(): Promise<void> {
    const latest = await l1.publicClient.getBlock({ blockTag: 'latest' });
    clock.set(Number(latest.timestamp) * 1000);
  }
  const epochSlots = () => constants.epochDuration;
  const provenTip = async () => (await rollup.getTips()).proven;
  const proofsSent = () => l1.publicClient.getTransactionCount({ address: PROVER.address });
  const epochOf = (b: PublishedTestBlock) => BigInt(b.block.header.globalVariables.slotNumber) / epochSlots();

  /** Two blocks in the current epoch, so that the epoch has not ended yet. */
  async function twoBlocksInEpoch(): Promise<PublishedTestBlock[]> {
    const published = [await publish(), await publish()];
    await syncClock();
    expect(epochOf(published[1]!)).toBe(epochOf(published[0]!));
    return published;
  }

  it('proves nothing while the epoch of the first unproven block is still running', async () => {
    await twoBlocksInEpoch();
    const node = prover();
    expect(await node.nextEpoch()).toBeUndefined();
    await node.work();
    expect(await proofsSent()).toBe(0);
    expect(await provenTip()).toBe(0n);
  });

  it('submits the ended epoch: its block range, archives before and after, epoch number and prover id', async () => {
    const [first, second] = await twoBlocksInEpoch();
    const epoch = epochOf(first!);
    await warpTo((epoch + 1n) * epochSlots());
    const node = prover();
    expect(await node.nextEpoch()).toEqual({
      epoch,
      start: 1n,
      end: 2n,
      publicInputs: [
        await rollup.archiveAt(0n),
        await rollup.archiveAt(2n),
        `0x${epoch.toString(16).padStart(64, '0')}`,
        PROVER_ID,
      ],
    });
    await node.work();
    expect(await provenTip()).toBe(2n);
    const block = await l1.publicClient.getBlock({ blockTag: 'latest', includeTransactions: true });
    const tx = block.transactions.find(t => t.from === PROVER.address.toLowerCase());
    if (!tx) throw new Error('no proof tx from the prover in the latest L1 block');
    expect(tx.to).toBe(rollup.address.toLowerCase());
    const call = decodeFunctionData({ abi: RollupAbi, data: tx.input });
    expect(call.functionName).toBe('submitEpochRootProof');
    expect(call.args).toEqual([
      1n,
      2n,
      [
        frToHex(first!.block.header.lastArchive.root),
        frToHex(second!.block.archive.root),
        `0x${epoch.toString(16).padStart(64, '0')}`,
        PROVER_ID,
      ],
      '0x',
    ]);
    // Proven: the next pass has nothing to do.
    await node.work();
    expect(await proofsSent()).toBe(1);
  });

  it('waits while L1 refuses with Rollup__EpochNotEnded (its clock ahead of L1), then proves once L1 moves on', async () => {
    const [first] = await twoBlocksInEpoch();
    const end = (epochOf(first!) + 1n) * epochSlots();
    // The prover's clock is past the epoch; L1's latest block is not.
    clock.set(Number(constants.genesisTime + end * constants.slotDuration) * 1000);
    const node = prover();
    await node.work();
    expect(await proofsSent()).toBe(0);
    expect(log.text()).toMatch(/L1 would refuse the epoch proof .*Rollup__EpochNotEnded\(/);
    await warpTo(end);
    await node.work();
    expect(await provenTip()).toBe(2n);
  });

  it('proves one epoch per submission, in order, each once it has ended', async () => {
    const [first] = await twoBlocksInEpoch();
    const epoch = epochOf(first!);
    // A block in the next epoch: L1 time is now in that epoch, so the first one has ended.
    await warpTo((epoch + 1n) * epochSlots());
    const third = await publish();
    await syncClock();
    expect(epochOf(third)).toBe(epoch + 1n);
    const node = prover();
    await node.work();
    expect(await provenTip()).toBe(2n);
    await node.work(); // epoch + 1 is running
    expect(await provenTip()).toBe(2n);
    await warpTo((epoch + 2n) * epochSlots());
    expect(await node.nextEpoch()).toMatchObject({ epoch: epoch + 1n, start: 3n, end: 3n });
    await node.work();
    expect(await provenTip()).toBe(3n);
    expect(await proofsSent()).toBe(2);
  });

  it('does not prove an epoch whose blocks it has not all synced', async () => {
    const [first] = await twoBlocksInEpoch();
    synced.delete(2n);
    await warpTo((epochOf(first!) + 1n) * epochSlots());
    const node = prover();
    expect(await node.nextEpoch()).toBeUndefined();
    await node.work();
    expect(await proofsSent()).toBe(0);
  });

  it('refuses to prove when its world state disagrees with the archive on L1', async () => {
    const [first] = await twoBlocksInEpoch();
    archives.set(2n, blocks.uniqueFr());
    await warpTo((epochOf(first!) + 1n) * epochSlots());
    const node = prover();
    await expect(node.nextEpoch()).rejects.toThrow(
      /archive root after block 2 is 0x[0-9a-f]{64} here but 0x[0-9a-f]{64} on L1: not proving/,
    );
    await expect(node.work()).rejects.toThrow(/not proving/);
    expect(await proofsSent()).toBe(0);
  });

  it('after start() it retries a failed pass (the proof tx could not be sent) and proves; stop() ends the loop', async () => {
    const [first] = await twoBlocksInEpoch();
    await warpTo((epochOf(first!) + 1n) * epochSlots());
    flaky = await startFlakyL1(l1.anvil.url);
    let failures = 2;
    flaky.setPolicy(({ methods }) =>
      methods.includes('eth_sendRawTransaction') && failures-- > 0 ? { status: 503 } : 'forward',
    );
    const node = prover({ rpcUrl: flaky.url, sendRetries: 0 });
    node.start();
    while ((await provenTip()) < 2n) await new Promise(r => setTimeout(r, 20));
    await node.stop();
    const failed = log.lines.filter(l => l.level === 'error' && l.msg === 'Prover iteration failed');
    expect(failed).toHaveLength(2);
    expect(String(failed[0]!.fields?.['error'])).toMatch(/503/);
    expect(flaky.counts().failedMethods['eth_sendRawTransaction']).toBe(2);
    expect(await proofsSent()).toBe(1);
  });

  it('stop() aborts a proof tx that waits for its receipt, without logging a failure', async () => {
    const [first] = await twoBlocksInEpoch();
    await warpTo((epochOf(first!) + 1n) * epochSlots());
    await rpc('evm_setAutomine', [false]);
    const node = prover();
    node.start();
    // The proof is in the pool and will not be mined; the sender would wait an hour before replacing it.
    while ((await l1.publicClient.getTransactionCount({ address: PROVER.address, blockTag: 'pending' })) === 0) {
      await new Promise(r => setTimeout(r, 20));
    }
    await node.stop();
    expect(log.lines.filter(l => l.level === 'error')).toEqual([]);
    expect(await provenTip()).toBe(0n);
  });
});
