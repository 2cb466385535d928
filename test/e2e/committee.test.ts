import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ENR } from '@chainsafe/enr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendTraffic } from '../../src/cli/traffic/send-traffic.js';
import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import type { NodeModules, RunningNode } from '../../src/node/aztec-node.js';
import { nodeApiSchema, p2pApiSchema } from '../../src/node/api/schema.js';
import type { AztecConfig } from '../../src/node/config.js';
import type { P2PBootstrap } from '../../src/p2p/index.js';
import { startLoopbackBootnode } from '../../src/p2p/testing/index.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** The local network's timing (networks.ts): 8 s slots, 8 slots an epoch. */
const SLOTS_PER_EPOCH = 8n;
const VALIDATORS = 4;
const QUORUM = Math.floor((2 * VALIDATORS) / 3) + 1;

const VALIDATOR_MODULES: NodeModules = { node: true, archiver: true, sequencer: true, proverNode: false };
const OBSERVER_MODULES: NodeModules = { node: true, archiver: true, sequencer: false, proverNode: false };

/** A sequencer log line (JSON), as captured from the process-wide log sink. */
interface SeqLine {
  module: string;
  msg: string;
  reason?: string;
}

/**
 * The committee issue's network: a bootnode, four validator nodes and one node without validator duties, all in
 * this process on loopback, each with its own libp2p host and data directory, finding each other through the
 * bootnode's ENR. Every proposer gossips its block, the others re-execute and attest, and L1 checks the quorum.
 */
describe('a committee of four over P2P, with a bootnode and a node without duties', () => {
  let network: InProcessNetwork;
  let bootnode: P2PBootstrap;
  let bootEnr: string;
  const dirs: string[] = [];
  const validators: (RunningNode | undefined)[] = [];
  let observer: RunningNode;
  const lines: SeqLine[] = [];

  const p2pFor =
    (opts: { key: `0x${string}` | undefined; port: number; dataDirectory: string }) =>
    (c: AztecConfig): AztecConfig => ({
      ...c,
      node: { ...c.node, dataDirectory: opts.dataDirectory },
      validator: { ...c.validator, validatorPrivateKey: opts.key },
      p2p: {
        ...c.p2p,
        enabled: true,
        p2pIp: '127.0.0.1',
        p2pPort: opts.port,
        listenAddress: '127.0.0.1',
        bootstrapNodes: [bootEnr],
      },
    });

  const dataDir = (name: string) => {
    const d = mkdtempSync(join(tmpdir(), `aztec-committee-${name}-`));
    dirs.push(d);
    return d;
  };

  /** Starts validator `i` (0-based; dev account i+1) on its own data directory and P2P port. */
  const validatorPorts: number[] = [];
  const validatorDirs: string[] = [];
  const validatorPeerIds: string[] = [];
  async function startValidator(i: number): Promise<RunningNode> {
    const node = await network.addNode(
      { ...VALIDATOR_MODULES, proverNode: i === 0 },
      p2pFor({ key: devAccount(i + 1).privateKey, port: validatorPorts[i]!, dataDirectory: validatorDirs[i]! }),
    );
    validators[i] = node;
    const enr = await createRpcClient(node.rpcUrl, 'node', nodeApiSchema).getEncodedEnr();
    validatorPeerIds[i] = ENR.decodeTxt(enr!).peerId.toString();
    return node;
  }

  const chain = () => observer.archiver.store;
  const slotOf = (n: bigint) => chain().getPublishedBlock(n)!.block.header.globalVariables.slotNumber;
  const attestationsOf = (n: bigint) => chain().getPublishedBlock(n)!.l1.attestations;
  const tip = () => chain().getLatestBlockNumber();

  beforeAll(async () => {
    configureLogging({
      level: 'warn;info:sequencer',
      json: true,
      sink: line => {
        const parsed = JSON.parse(line) as SeqLine;
        if (parsed.module === 'sequencer') lines.push(parsed);
        else process.stderr.write(line + '\n');
      },
    });
    network = await startInProcessNetwork({ validators: VALIDATORS });
    bootnode = await startLoopbackBootnode();
    bootEnr = bootnode.getEnr();
    for (let i = 0; i < VALIDATORS; i++) {
      validatorPorts.push(await getFreePort());
      validatorDirs.push(dataDir(`validator-${i + 1}`));
    }
    for (let i = 0; i < VALIDATORS; i++) await startValidator(i);
    // No key, so no duties: it follows the chain, validates gossip and relays txs.
    observer = await network.addNode(
      OBSERVER_MODULES,
      p2pFor({ key: undefined, port: await getFreePort(), dataDirectory: dataDir('observer') }),
    );
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
    await bootnode?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('fills every slot of three epochs with a block carrying a quorum checked by L1, including txs sent to the node without duties', async () => {
    // The node without duties found the validators through the bootnode's ENR alone.
    const p2p = createRpcClient(observer.rpcUrl, 'p2p', p2pApiSchema);
    await until(
      'the observer to connect to all four validators',
      async () => {
        const connected = new Set((await p2p.getPeers()).map(p => p.id));
        return validatorPeerIds.every(id => connected.has(id));
      },
      60_000,
    );

    // Start counting at the first whole epoch once everyone is up.
    await until('a first block', () => tip() >= 1n, 90_000);
    const firstSlot = slotOf(tip());
    const from = (firstSlot / SLOTS_PER_EPOCH + 1n) * SLOTS_PER_EPOCH;
    const to = from + 3n * SLOTS_PER_EPOCH - 1n;

    // Traffic through the node without duties: its pool gossips the txs to the proposers.
    const traffic = sendTraffic({
      nodeUrl: observer.rpcUrl,
      l1RpcUrls: [network.net.anvil.url],
      l1PrivateKey: devAccount(0).privateKey,
      count: 4,
      timeoutMs: 240_000,
    });

    await until(`a block in slot ${to}`, () => tip() >= 1n && slotOf(tip()) >= to, 8 * 8_000 * 4);
    const result = await traffic;
    expect(result.txs).toHaveLength(4);
    for (const tx of result.txs) expect(tx.blockNumber).toBeGreaterThan(0);

    const bySlot = new Map<bigint, bigint>();
    for (let n = 1n; n <= tip(); n++) bySlot.set(slotOf(n), n);
    const missing: bigint[] = [];
    for (let s = from; s <= to; s++) {
      const n = bySlot.get(s);
      if (n === undefined) {
        missing.push(s);
        continue;
      }
      expect(attestationsOf(n), `block ${n} (slot ${s})`).toBeGreaterThanOrEqual(QUORUM);
    }
    const skipped = lines.filter(l => l.msg.startsWith('Skipped slot')).map(l => `${l.msg}: ${l.reason}`);
    expect(missing, `slots without a block; sequencer said: ${skipped.join('; ')}`).toEqual([]);

    const committee = await network.l1.readContract({
      address: network.net.deployment.addresses.rollup,
      abi: RollupAbi,
      functionName: 'getEpochCommittee',
      args: [from / SLOTS_PER_EPOCH],
    });
    expect(committee).toHaveLength(VALIDATORS);
  }, 400_000);

  it('keeps going with one validator down, stops without a quorum (and says so), and resumes when one returns', async () => {
    const stop = async (i: number) => {
      await validators[i]!.stop();
      validators[i] = undefined;
    };
    /** The first block whose slot is after the current tip's, i.e. proposed after this call. */
    const nextBlock = async (what: string, withinSlots = 6) => {
      const after = slotOf(tip());
      await until(what, () => slotOf(tip()) > after, withinSlots * 8_000);
      return tip();
    };

    await stop(3);
    for (let k = 0; k < 2; k++) {
      const n = await nextBlock(`block ${k + 1} with validator 4 down`);
      expect(attestationsOf(n)).toBe(QUORUM);
    }

    await stop(2);
    const seen = lines.length;
    const noQuorum = () =>
      lines.slice(seen).filter(l => l.msg.startsWith('Skipped slot') && /not enough attestations/.test(l.reason ?? ''));
    // Validators 1 and 2 propose about half the slots; 16 slots without one of theirs is a 1-in-65536 chance.
    await until(
      'a proposer to give up its slot for lack of attestations',
      () => noQuorum().length >= 1,
      16 * 8_000,
    ).catch((err: unknown) => {
      const said = lines.slice(seen).map(l => `${l.msg} ${l.reason ?? ''}`);
      throw new Error(`${String(err)}; the sequencers said: ${said.join(' | ')}`);
    });
    const [first] = noQuorum();
    expect(first!.reason).toMatch(/2 of 4 committee members attested, 3 needed/);
    const firstSkipped = BigInt(/Skipped slot (\d+)/.exec(first!.msg)![1]!);
    // Nothing proposed from that slot on reached L1: the archiver saw no block for it or after it.
    const rollup = network.net.deployment.addresses.rollup;
    const pending = await network.l1.readContract({
      address: rollup,
      abi: RollupAbi,
      functionName: 'getPendingBlockNumber',
    });
    await until('the observer to sync what L1 holds', () => tip() >= pending, 30_000);
    expect(slotOf(pending)).toBeLessThan(firstSkipped);

    await startValidator(2);
    const resumed = await nextBlock('a block after validator 3 returned', 12);
    expect(slotOf(resumed)).toBeGreaterThan(firstSkipped);
    expect(attestationsOf(resumed)).toBeGreaterThanOrEqual(QUORUM);
  }, 400_000);
});
