import { randomBytes } from 'node:crypto';

import { ENR } from '@chainsafe/enr';
import { bytesToHex, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EpochCache } from '../../src/protocol/epoch/epoch-cache.js';
import { RollupContract } from '../../src/l1/contracts/rollup.js';
import { systemClock } from '../../src/foundation/time/index.js';
import { slotAt } from '../../src/protocol/epoch/time.js';
import { createRpcClient, type RpcClientOf } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { asSlot } from '../../src/foundation/types/branded.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { proposalDigest, signProposalDigest } from '../../src/protocol/proposal-digest.js';
import type { NodeModules, RunningNode } from '../../src/node/aztec-node.js';
import { nodeApiSchema, p2pApiSchema } from '../../src/node/api/schema.js';
import type { AztecConfig } from '../../src/node/config.js';
import { P2PService, PENALTIES, TopicType, type NetworkIdentity, type P2PBootstrap } from '../../src/p2p/index.js';
import { startLoopbackBootnode, testServiceConfig } from '../../src/p2p/testing/index.js';
import { asFr, encodeHeader, frToHex, headerHash, type BlockHeader } from '../../src/types/index.js';
import { encodeBlockProposal } from '../../src/validator/messages.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

const VALIDATORS = 2;
const QUORUM = Math.floor((2 * VALIDATORS) / 3) + 1;
/** `PeerScoring`'s default ban threshold, which the nodes run with. */
const BAN_THRESHOLD = -100;
/** A dev account with no stake: never in the committee, never a proposer. */
const OUTSIDER = devAccount(5);

const VALIDATOR_MODULES: NodeModules = { node: true, archiver: true, sequencer: true, proverNode: false };

/** A log line (JSON) from the process-wide sink, with the fields these tests look at. */
interface LogLine {
  module: string;
  msg: string;
  reason?: string;
  peer?: string;
  code?: string;
}

/** One validator node as the attackers see it. */
interface Target {
  node: RunningNode;
  peerId: string;
  /** `/ip4/…/tcp/…/p2p/<peer id>`, from its ENR. */
  multiaddr: string;
  p2p: RpcClientOf<typeof p2pApiSchema>;
}

/**
 * The scenario: two validators produce blocks over P2P; an attacker with its own libp2p identity on the same
 * network dials one of them directly and gossips bad block proposals: undecodable bytes, then (a fresh identity)
 * well-formed proposals signed by keys that are not the slot's proposer. The validator penalizes it message by
 * message (as `p2p_getPeers` shows), disconnects and bans it, refuses it again, and the chain goes on with a quorum.
 */
describe('a peer that gossips bad block proposals', () => {
  let network: InProcessNetwork;
  let bootnode: P2PBootstrap;
  const validators: Target[] = [];
  const attackers: P2PService[] = [];
  const lines: LogLine[] = [];
  let identity: NetworkIdentity;
  let epochCache: EpochCache;
  let constants: Awaited<ReturnType<RollupContract['getConstants']>>;

  /** The validator under attack; the other one is only ever connected to it and the bootnode. */
  const target = () => validators[1]!;
  const chain = () => target().node.archiver.store;
  const tip = () => chain().getLatestBlockNumber();
  const peerOf = async (id: string) => (await target().p2p.getPeers()).find(p => p.id === id);

  beforeAll(async () => {
    configureLogging({
      level: 'warn;info:p2p:scoring',
      json: true,
      sink: line => {
        const parsed = JSON.parse(line) as LogLine;
        if (parsed.msg === 'Rejected a block proposal' || parsed.msg === 'Banning peer') lines.push(parsed);
        else process.stderr.write(line + '\n');
      },
    });
    network = await startInProcessNetwork({ validators: VALIDATORS });
    bootnode = await startLoopbackBootnode();
    for (let i = 0; i < VALIDATORS; i++) {
      const port = await getFreePort();
      const node = await network.addNode(
        { ...VALIDATOR_MODULES, proverNode: i === 0 },
        (c: AztecConfig): AztecConfig => ({
          ...c,
          validator: { ...c.validator, validatorPrivateKey: devAccount(i + 1).privateKey },
          p2p: {
            ...c.p2p,
            enabled: true,
            p2pIp: '127.0.0.1',
            p2pPort: port,
            listenAddress: '127.0.0.1',
            bootstrapNodes: [bootnode.getEnr()],
          },
        }),
      );
      const enr = ENR.decodeTxt((await createRpcClient(node.rpcUrl, 'node', nodeApiSchema).getEncodedEnr())!);
      validators.push({
        node,
        peerId: enr.peerId.toString(),
        multiaddr: (await enr.getFullMultiaddr('tcp'))!.toString(),
        p2p: createRpcClient(node.rpcUrl, 'p2p', p2pApiSchema),
      });
    }

    const rollup = network.net.deployment.addresses.rollup;
    identity = {
      l1ChainId: BigInt(await network.l1.getChainId()),
      rollupAddress: rollup,
      version: await network.l1.readContract({ address: rollup, abi: RollupAbi, functionName: 'VERSION' }),
    };
    const reader = new RollupContract(network.l1, rollup);
    constants = await reader.getConstants();
    epochCache = new EpochCache(reader, constants, systemClock);

    await until(
      'the validators to find each other',
      async () => (await peerOf(validators[0]!.peerId)) !== undefined,
      60_000,
    );
    await until('a first block', () => tip() >= 1n, 120_000);
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled(attackers.map(a => a.stop()));
    try {
      await network?.stop();
    } finally {
      await bootnode?.stop();
    }
  });

  /** A new libp2p identity on the nodes' network, connected to the target and in its proposal topic. */
  async function connectAttacker(): Promise<P2PService> {
    const attacker = await P2PService.create(await testServiceConfig({ network: identity }));
    attackers.push(attacker);
    await attacker.start();
    attacker.subscribe(TopicType.blockProposal, () => Promise.resolve({ result: 'ignore' }));
    await attacker.dial(target().multiaddr);
    // Gossipsub sends a published message to the peers it knows subscribe to the topic.
    await until(
      "the target in the attacker's proposal topic",
      () => attacker.getTopicPeers(TopicType.blockProposal).includes(target().peerId),
      20_000,
    );
    await until('the target to list the attacker', async () => (await peerOf(attacker.peerId)) !== undefined, 10_000);
    expect((await peerOf(attacker.peerId))!.score).toBe(0);
    return attacker;
  }

  /**
   * Gossips `message()` one at a time, each once the target has scored the previous one, until the target bans the
   * attacker (its score reaches the threshold, or it is gone from the target's peers). Returns how many messages it
   * took and the attacker's score after each, as `p2p_getPeers` showed it while it was still listed.
   */
  async function gossipUntilBanned(
    attacker: P2PService,
    message: () => Promise<Uint8Array>,
  ): Promise<{ sent: number; scores: number[] }> {
    const scores: number[] = [];
    for (let sent = 1; sent <= 20; sent++) {
      expect(await attacker.publish(TopicType.blockProposal, await message()), `recipients of message ${sent}`).toBe(1);
      const before = scores.at(-1) ?? 0;
      let after: number | undefined;
      await until(
        `the target to score message ${sent}`,
        async () => {
          after = (await peerOf(attacker.peerId))?.score;
          return after === undefined || after < before;
        },
        10_000,
      );
      if (after !== undefined) scores.push(after);
      if (after === undefined || after <= BAN_THRESHOLD) return { sent, scores };
    }
    throw new Error(`the attacker was not banned after 20 messages (scores ${scores.join(', ')})`);
  }

  /** Asserts that the target banned `attacker` for `code`, refuses it, and still treats the honest validator well. */
  async function expectBanned(attacker: P2PService, code: string): Promise<void> {
    await until(
      'the target to disconnect the attacker',
      async () => (await peerOf(attacker.peerId)) === undefined && !attacker.isConnected(target().peerId),
      10_000,
    );
    expect(lines.filter(l => l.msg === 'Banning peer' && l.peer === attacker.peerId).map(l => l.code)).toEqual([code]);

    // Dialling again: the target's connection gater refuses the banned identity (the dial fails, or the connection
    // closes at once); either way the target never lists it.
    const redial = await attacker.dial(target().multiaddr).then(
      () => 'opened',
      (err: unknown) => `refused: ${String(err)}`,
    );
    await until('the re-dial to end', () => !attacker.isConnected(target().peerId), 5_000);
    for (let i = 0; i < 5; i++) {
      expect(await peerOf(attacker.peerId), `target's peers after re-dial (${redial})`).toBeUndefined();
      await new Promise(r => setTimeout(r, 200));
    }

    // The other validator, which forwarded none of it, keeps a clean score.
    expect((await peerOf(validators[0]!.peerId))?.score).toBe(0);
  }

  /** Waits for two more blocks on L1, each attested by a quorum (both validators, the target included). */
  async function expectTwoMoreBlocksWithQuorum(): Promise<void> {
    const from = tip();
    await until('two more blocks', () => tip() >= from + 2n, 60_000);
    for (let n = from + 1n; n <= from + 2n; n++) {
      expect(chain().getPublishedBlock(n)!.l1.attestations, `attestations of block ${n}`).toBeGreaterThanOrEqual(
        QUORUM,
      );
    }
  }

  /** The first score is one penalty below 0; each next one lower, and all but the last above the ban threshold. */
  function expectDescendingScores(scores: number[], penalty: number): void {
    expect(scores.length).toBeGreaterThan(0);
    expect(scores[0]).toBeGreaterThanOrEqual(-penalty);
    expect(scores[0]).toBeLessThan(-penalty + 1);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1]!);
    expect(scores.slice(0, -1).every(s => s > BAN_THRESHOLD)).toBe(true);
  }

  const rejectionsSince = (start: number) =>
    lines.slice(start).filter(l => l.msg === 'Rejected a block proposal' && l.module === 'validator');

  it('bans and disconnects a peer that gossips undecodable proposals; the chain goes on', async () => {
    const attacker = await connectAttacker();
    const start = lines.length;

    const { sent, scores } = await gossipUntilBanned(attacker, () => Promise.resolve(randomBytes(200)));

    // Each message cost INVALID_ENCODING's penalty, until the score reached the ban threshold.
    expect(sent).toBe(Math.ceil(-BAN_THRESHOLD / PENALTIES.high));
    expectDescendingScores(scores, PENALTIES.high);
    const rejections = rejectionsSince(start);
    expect(rejections).toHaveLength(sent);
    for (const r of rejections) expect(r.reason).toMatch(/proposal/);
    await expectBanned(attacker, 'INVALID_ENCODING');

    await expectTwoMoreBlocksWithQuorum();
  }, 120_000);

  it("bans and disconnects a peer that gossips proposals not signed by the slot's proposer; the chain goes on", async () => {
    const attacker = await connectAttacker();
    const start = lines.length;
    const committee = validators.map((_, i) => devAccount(i + 1));
    let forgedCount = 0;

    // A well-formed proposal for the next slot on top of the target's tip, signed alternately by the committee
    // member that is not that slot's proposer and by an account outside the committee.
    const forged = async (): Promise<Uint8Array> => {
      const slot = asSlot(slotAt(BigInt(Math.floor(Date.now() / 1000)), constants) + 1n);
      const proposer = await epochCache.getProposerAttester(slot);
      expect(proposer).toBeDefined();
      const member = committee.find(a => a.address.toLowerCase() !== proposer!.toLowerCase())!;
      const key: Hex = forgedCount++ % 2 === 0 ? member.privateKey : OUTSIDER.privateKey;
      const base = chain().getPublishedBlock(tip())!.block.header;
      const header: BlockHeader = { ...base, globalVariables: { ...base.globalVariables, slotNumber: slot } };
      const archive = asFr(BigInt(bytesToHex(randomBytes(31))));
      const digest = proposalDigest(
        identity.l1ChainId,
        identity.rollupAddress,
        frToHex(headerHash(header)),
        frToHex(archive),
      );
      const signature = await signProposalDigest(digest, key);
      return encodeBlockProposal({ slot, header: encodeHeader(header), archive, txHashes: [], signature });
    };

    const result = await gossipUntilBanned(attacker, forged);

    // Each message cost INVALID_MESSAGE's (smaller) penalty, so it took more of them.
    expect(result.sent).toBe(Math.ceil(-BAN_THRESHOLD / PENALTIES.mid));
    expectDescendingScores(result.scores, PENALTIES.mid);
    // Rejected for the signer alone: everything else about them was right.
    const rejections = rejectionsSince(start);
    expect(rejections).toHaveLength(result.sent);
    for (const r of rejections) expect(r.reason).toMatch(/^signed by 0x[0-9a-fA-F]{40}, not the slot's proposer/);
    expect(rejections.some(r => r.reason!.includes(OUTSIDER.address))).toBe(true);
    expect(rejections.some(r => committee.some(m => r.reason!.startsWith(`signed by ${m.address}`)))).toBe(true);
    await expectBanned(attacker, 'INVALID_MESSAGE');

    await expectTwoMoreBlocksWithQuorum();
  }, 120_000);
});
