import { type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { systemClock } from '../foundation/time/index.js';
import { asSlot, asUnixSeconds, type Slot } from '../foundation/types/branded.js';
import { recoverAttester, signProposalDigest } from '../protocol/proposal-digest.js';
import { startTestNode, TEST_NETWORK, waitFor, type TestNode } from '../p2p/testing/index.js';
import { buildBlock } from '../protocol/block/index.js';
import { ALICE_KEY, makeTx, TEST_CHAIN_ID, TEST_PORTAL, TEST_VERSION, testGlobals } from '../protocol/testing/index.js';
import { asFr, encodeHeader, headerHash, txHash, type GlobalVariables, type Tx } from '../types/index.js';
import { P2PAttestationSource } from './attestation-source.js';
import { encodeBlockProposal } from './messages.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from './slashing-protection.js';
import {
  ValidatorClient,
  type ObservedSignature,
  type ProposalOutcome,
  type ValidatorEpochSource,
} from './validator-client.js';

// Real libp2p nodes on 127.0.0.1 and real (LMDB) world states on temporary stores. The only stand-in is the L1
// read: a fixed committee and proposer in place of `EpochCache` (its two methods the validator uses).

const SLOT_DURATION = 600n;
const nowS = BigInt(Math.floor(Date.now() / 1000));
const SLOT = asSlot(12n);
// The clock is 10 s into SLOT, so the proposals below are for the current slot.
const constants = {
  genesisTime: asUnixSeconds(nowS - SLOT * SLOT_DURATION - 10n),
  slotDuration: SLOT_DURATION,
  epochDuration: 4n,
};
const ROOT = chainIdentityRoot(TEST_CHAIN_ID, TEST_NETWORK.rollupAddress);
const CONFIG = { disabled: false, attestationsWaitTimeoutMs: 15_000, attestationsPollingIntervalMs: 50 };

interface Validator {
  node: TestNode;
  key: Hex;
  address: Address;
  client: ValidatorClient;
  outcomes: ProposalOutcome[];
  /** What its observer (the slasher) was told. */
  observed: ObservedSignature[];
}

let nodes: TestNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.map(n => n.stop()));
  nodes = [];
});

function startClient(
  node: TestNode,
  key: Hex | Hex[],
  epochCache: ValidatorEpochSource,
  outcomes: ProposalOutcome[],
  observed: ObservedSignature[] = [],
) {
  const protection = new SlashingProtection(node.world.store, ROOT);
  const client = new ValidatorClient(
    {
      p2p: node.p2p,
      epochCache,
      constants,
      clock: systemClock,
      worldState: node.world.worldState,
      txPool: node.pool,
      l1ToL2Messages: () => [],
      l1ChainId: Number(TEST_CHAIN_ID),
      rollup: TEST_NETWORK.rollupAddress,
      rollupVersion: TEST_VERSION,
      feeJuicePortal: TEST_PORTAL,
      baseFees: () => testGlobals(0n).gasFees,
      signers: (Array.isArray(key) ? key : [key]).map(k => new ProtectedSigner(k, protection)),
      onProposal: o => outcomes.push(o),
      observer: s => observed.push(s),
    },
    CONFIG,
  );
  client.start();
  return client;
}

/** Four validators (index 0 proposes SLOT) in a full mesh; the committee order differs from the node order. */
async function startNetwork(): Promise<{ validators: Validator[]; committee: Address[] }> {
  const started = await Promise.all(Array.from({ length: 4 }, () => startTestNode()));
  nodes.push(...started);
  const keys = started.map(() => generatePrivateKey());
  const addresses = keys.map(k => privateKeyToAddress(k));
  const committee = [3, 0, 2, 1].map(i => addresses[i]!);
  const epochCache: ValidatorEpochSource = {
    getCommittee: () => Promise.resolve({ committee, quorum: 3 }),
    getProposerAttester: () => Promise.resolve(addresses[0]),
  };
  const validators = started.map((node, i) => {
    const outcomes: ProposalOutcome[] = [];
    const observed: ObservedSignature[] = [];
    const key = keys[i]!;
    const client = startClient(node, key, epochCache, outcomes, observed);
    return { node, key, address: addresses[i]!, outcomes, observed, client };
  });
  for (let i = 0; i < started.length; i++) {
    for (let j = i + 1; j < started.length; j++) await started[i]!.p2p.dial(started[j]!.p2p.getMultiaddrs()[0]!);
  }
  await waitFor('topic peers', () =>
    started.every(
      n => n.p2p.getTopicPeers('block_proposal').length === 3 && n.p2p.getTopicPeers('attestation').length === 3,
    ),
  );
  return { validators, committee };
}

/** Builds block 2 at SLOT on `node`'s world state (discarding the fork). */
async function build(node: TestNode, txs: Tx[], over: Partial<GlobalVariables> = {}) {
  const fork = node.world.worldState.fork();
  try {
    const globals = testGlobals(fork.baseBlockNumber + 1n, { slotNumber: SLOT, ...over });
    const built = await buildBlock({
      fork,
      txs,
      globals,
      l1ToL2Messages: [],
      l1ChainId: TEST_CHAIN_ID,
      feeJuicePortal: TEST_PORTAL,
    });
    return { ...built, failed: [] };
  } finally {
    fork.discard();
  }
}

/** Gossips a proposal of `built` from `from`, signed with `key` directly (no slashing protection). */
async function publishRaw(
  from: Validator,
  key: Hex,
  built: Awaited<ReturnType<typeof build>>,
  archive = built.block.archive.root,
) {
  const digest = from.client.digestOf(headerHash(built.block.header), archive);
  const proposal = {
    slot: SLOT,
    header: encodeHeader(built.block.header),
    archive,
    txHashes: built.included.map(tx => txHash(tx)),
    signature: await signProposalDigest(digest, key),
  };
  await from.node.p2p.publish('block_proposal', encodeBlockProposal(proposal));
  return digest;
}

const results = (vs: Validator[], slot: Slot = SLOT) =>
  vs.map(v => v.outcomes.filter(o => o.slot === slot).map(o => o.result));

describe('ValidatorClient', () => {
  it('attests once with each of its attesters in the committee; with the proposer, one node of three keys makes a quorum of 4', async () => {
    const [proposerNode, fleetNode] = await Promise.all([startTestNode(), startTestNode()]);
    nodes.push(proposerNode, fleetNode);
    const proposerKey = generatePrivateKey();
    const fleetKeys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const [a, b, c, outside] = fleetKeys.map(k => privateKeyToAddress(k)) as [Address, Address, Address, Address];
    const proposer = privateKeyToAddress(proposerKey);
    const committee = [b, proposer, c, a];
    const epochCache: ValidatorEpochSource = {
      getCommittee: () => Promise.resolve({ committee, quorum: 4 }),
      getProposerAttester: () => Promise.resolve(proposer),
    };
    const proposerClient = startClient(proposerNode, proposerKey, epochCache, []);
    const fleetOutcomes: ProposalOutcome[] = [];
    const fleet = startClient(fleetNode, fleetKeys, epochCache, fleetOutcomes);
    await proposerNode.p2p.dial(fleetNode.p2p.getMultiaddrs()[0]!);
    await waitFor('topic peers', () =>
      [proposerNode, fleetNode].every(
        n => n.p2p.getTopicPeers('block_proposal').length === 1 && n.p2p.getTopicPeers('attestation').length === 1,
      ),
    );
    const built = await build(proposerNode, []);
    const collected = await new P2PAttestationSource(proposerClient).collect({
      built,
      proposer,
      committee,
      quorum: 4,
      deadline: new Date(Date.now() + 20_000),
    });
    if ('reason' in collected) throw new Error(collected.reason);
    const digest = proposerClient.digestOf(headerHash(built.block.header), built.block.archive.root);
    // All four, in committee order: three of them from the one fleet node.
    expect(await Promise.all(collected.attestations.map(x => recoverAttester(digest, x)))).toEqual(committee);
    expect(fleetOutcomes.map(o => o.result)).toEqual(['attested']);
    // Its pool: its own three and the proposer's (gossiped); nothing from its key outside the committee.
    expect([...fleet.pool.get(SLOT, digest).keys()].sort()).toEqual(
      [a, b, c, proposer].map(x => x.toLowerCase()).sort(),
    );
    expect(fleet.pool.get(SLOT, digest).has(outside.toLowerCase() as Address)).toBe(false);
  });

  it('re-executes a gossiped proposal, attests it, and the proposer collects a quorum in committee order', async () => {
    const { validators, committee } = await startNetwork();
    const [proposer, ...others] = validators as [Validator, ...Validator[]];
    // Only the proposer has the tx: the others fetch it over req/resp.
    const tx = await makeTx(ALICE_KEY);
    expect((await proposer.node.pool.add(tx)).accepted).toBe(true);
    const built = await build(proposer.node, [tx]);

    const collected = await new P2PAttestationSource(proposer.client).collect({
      built,
      proposer: proposer.client.signers[0]!.address,
      committee,
      quorum: 3,
      deadline: new Date(Date.now() + 20_000),
    });
    if ('reason' in collected) throw new Error(collected.reason);
    await waitFor('three attestations', () => others.every(v => v.outcomes.some(o => o.result === 'attested')));
    expect(results(others)).toEqual([['attested'], ['attested'], ['attested']]);

    expect(collected.attestations.length).toBeGreaterThanOrEqual(3);
    const digest = proposer.client.digestOf(headerHash(built.block.header), built.block.archive.root);
    const signers = await Promise.all(collected.attestations.map(a => recoverAttester(digest, a)));
    const indices = signers.map(s => committee.indexOf(s));
    expect(indices.every(i => i >= 0)).toBe(true);
    expect([...indices].sort((a, b) => a - b)).toEqual(indices);
    expect(new Set(indices).size).toBe(indices.length);
  });

  it('rejects a proposal not signed by the slot proposer, penalizes the sender and does not attest', async () => {
    const { validators } = await startNetwork();
    const [proposer, impostor, ...rest] = validators as [Validator, Validator, ...Validator[]];
    const built = await build(impostor.node, []);
    const digest = await publishRaw(impostor, impostor.key, built);
    await waitFor('rejections', () => [proposer, ...rest].every(v => v.outcomes.some(o => o.result === 'rejected')));
    expect(results([proposer, ...rest])).toEqual([['rejected'], ['rejected'], ['rejected']]);
    for (const v of [proposer, ...rest]) {
      expect(v.node.p2p.scoring.getScore(impostor.node.p2p.peerId)).toBeLessThan(0);
      expect(v.client.pool.get(SLOT, digest).size).toBe(0);
    }
  });

  it('does not attest a proposal whose archive does not match the re-execution', async () => {
    const { validators } = await startNetwork();
    const [proposer, ...others] = validators as [Validator, ...Validator[]];
    const built = await build(proposer.node, []);
    const digest = await publishRaw(proposer, proposer.key, built, asFr(built.block.archive.root + 1n));
    await waitFor('outcomes', () => others.every(v => v.outcomes.length > 0));
    for (const v of others) {
      expect(v.outcomes.map(o => o.result)).toEqual(['invalid']);
      expect(v.outcomes[0]?.reason).toContain('archive mismatch');
    }
    expect(proposer.client.pool.get(SLOT, digest).size).toBe(0);
  });

  it('tells its observer of every checked proposal and attestation signature, two proposals of one slot included', async () => {
    const { validators, committee } = await startNetwork();
    const [proposer, impostor, ...rest] = validators as [Validator, Validator, ...Validator[]];
    const built = await build(proposer.node, []);
    // The impostor's proposal is rejected: nobody is told of it.
    await publishRaw(impostor, impostor.key, built);
    const fake = await publishRaw(proposer, proposer.key, built, asFr(built.block.archive.root + 1n));
    const collected = await new P2PAttestationSource(proposer.client).collect({
      built,
      proposer: proposer.address,
      committee,
      quorum: 3,
      deadline: new Date(Date.now() + 20_000),
    });
    if ('reason' in collected) throw new Error(collected.reason);
    const real = proposer.client.digestOf(headerHash(built.block.header), built.block.archive.root);
    for (const v of rest) {
      await waitFor('both proposals observed', () => v.observed.filter(s => s.kind === 'proposal').length === 2);
      const proposals = v.observed.filter(s => s.kind === 'proposal');
      expect(proposals.map(s => s.signer)).toEqual([proposer.address, proposer.address]);
      expect(new Set(proposals.map(s => s.digest))).toEqual(new Set([fake, real]));
      expect(proposals.every(s => s.header?.length === 800 && s.slot === SLOT)).toBe(true);
      // The proposer's own attestation of its real block came over gossip too.
      await waitFor('attestations observed', () => v.observed.some(s => s.kind === 'attestation'));
      const attestation = v.observed.find(s => s.kind === 'attestation' && s.signer === proposer.address);
      expect(attestation).toMatchObject({ digest: real, slot: SLOT });
      expect(attestation?.header).toBeUndefined();
      expect(v.observed.some(s => s.signer === impostor.address && s.kind === 'proposal')).toBe(false);
    }
  });

  it("does not attest a proposal whose base fees are not the Rollup's", async () => {
    const { validators } = await startNetwork();
    const [proposer, ...others] = validators as [Validator, ...Validator[]];
    const built = await build(proposer.node, [], { gasFees: { feePerDaGas: 1n, feePerL2Gas: 1n } });
    const digest = await publishRaw(proposer, proposer.key, built);
    await waitFor('outcomes', () => others.every(v => v.outcomes.length > 0));
    for (const v of others) {
      expect(v.outcomes.map(o => o.result)).toEqual(['invalid']);
      expect(v.outcomes[0]?.reason).toBe("wrong base fees: the header has DA 1, L2 1; the Rollup's are DA 1, L2 2");
    }
    expect(proposer.client.pool.get(SLOT, digest).size).toBe(0);
  });

  it('after a restart on the same store, gives no second signature for a different proposal in a signed slot', async () => {
    const { validators, committee } = await startNetwork();
    const [proposer, ...others] = validators as [Validator, ...Validator[]];
    const first = await build(proposer.node, []);
    const digestA = await publishRaw(proposer, proposer.key, first);
    await waitFor('attestations of A', () => others.every(v => v.outcomes.some(o => o.result === 'attested')));

    // Restart every validator client on its store (new SlashingProtection, new client; same data).
    const epochCache: ValidatorEpochSource = {
      getCommittee: () => Promise.resolve({ committee, quorum: 3 }),
      getProposerAttester: () => Promise.resolve(proposer.address),
    };
    for (const v of others) {
      v.client.stop();
      v.outcomes.length = 0;
      v.client = startClient(v.node, v.key, epochCache, v.outcomes);
    }
    // A different block for the same slot (a tx this time).
    const tx = await makeTx(ALICE_KEY);
    expect((await proposer.node.pool.add(tx)).accepted).toBe(true);
    const second = await build(proposer.node, [tx]);
    const digestB = await publishRaw(proposer, proposer.key, second);
    expect(digestB).not.toBe(digestA);
    await waitFor('outcomes of B', () => others.every(v => v.outcomes.length > 0));
    expect(results(others)).toEqual([['refused'], ['refused'], ['refused']]);
    await new Promise(r => setTimeout(r, 200));
    expect(proposer.client.pool.get(SLOT, digestB).size).toBe(0);
    expect(proposer.client.pool.get(SLOT, digestA).size).toBe(3);
  });
});
