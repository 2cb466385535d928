import { type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { Registry } from '../foundation/metrics/index.js';
import { systemClock } from '../foundation/time/index.js';
import { asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { startTestNode, TEST_NETWORK, waitFor, type TestNode } from '../p2p/testing/index.js';
import { buildBlock } from '../protocol/block/index.js';
import { signProposalDigest } from '../protocol/proposal-digest.js';
import { TEST_CHAIN_ID, TEST_PORTAL, TEST_VERSION, testGlobals } from '../protocol/testing/index.js';
import { encodeHeader, headerHash } from '../types/index.js';
import { DoppelgangerProtection } from './doppelganger.js';
import { encodeBlockAttestation, encodeBlockProposal } from './messages.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from './slashing-protection.js';
import { ValidatorClient, type ProposalOutcome, type ValidatorEpochSource } from './validator-client.js';

// Real libp2p nodes on 127.0.0.1, real LMDB world states and slashing protection. The only stand-in is the L1 read
// of the committee and proposer (as in validator-client.test.ts).

const SLOT_DURATION = 600n;
const SLOT = asSlot(12n);
const nowS = BigInt(Math.floor(Date.now() / 1000));
const constants = {
  genesisTime: asUnixSeconds(nowS - SLOT * SLOT_DURATION - 10n),
  slotDuration: SLOT_DURATION,
  epochDuration: 4n,
};
const ROOT = chainIdentityRoot(TEST_CHAIN_ID, TEST_NETWORK.rollupAddress);
const CONFIG = { disabled: false, attestationsWaitTimeoutMs: 15_000, attestationsPollingIntervalMs: 50 };

let nodes: TestNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.map(n => n.stop()));
  nodes = [];
});

function client(node: TestNode, signers: ProtectedSigner[], epochCache: ValidatorEpochSource, extra = {}) {
  const outcomes: ProposalOutcome[] = [];
  const c = new ValidatorClient(
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
      signers,
      onProposal: o => outcomes.push(o),
      ...extra,
    },
    CONFIG,
  );
  c.start();
  return { client: c, outcomes };
}

describe('doppelganger protection on gossip', () => {
  it('an attestation gossiped by one of our keys that we did not sign holds that key; our other key attests', async () => {
    const [otherNode, ourNode] = await Promise.all([startTestNode(), startTestNode()]);
    nodes.push(otherNode, ourNode);
    // `shared` runs on both nodes (the doppelganger); `own` only on ours; `proposer` only on the other.
    const [sharedKey, ownKey, proposerKey] = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const [shared, own, proposer] = [sharedKey, ownKey, proposerKey].map(k => privateKeyToAddress(k)) as [
      Address,
      Address,
      Address,
    ];
    const committee = [proposer, shared, own];
    const epochCache: ValidatorEpochSource = {
      getCommittee: () => Promise.resolve({ committee, quorum: 2 }),
      getProposerAttester: () => Promise.resolve(proposer),
    };
    const otherProtection = new SlashingProtection(otherNode.world.store, ROOT);
    const other = client(otherNode, [new ProtectedSigner(proposerKey, otherProtection)], epochCache);

    // Our node: its watch started an epoch ago (a clock of its own, 4 slots back), so it is over now, in SLOT.
    const ourProtection = new SlashingProtection(ourNode.world.store, ROOT);
    const watchClock = { now: systemClock.nowMs() - 4 * Number(SLOT_DURATION) * 1000, nowMs: () => watchClock.now };
    const metrics = new Registry();
    const dg = new DoppelgangerProtection(
      { epochs: 1 },
      { attesters: [shared, own], constants, clock: watchClock, record: ourProtection, metrics },
    );
    dg.start();
    watchClock.now = systemClock.nowMs();
    const signers = [sharedKey, ownKey].map(k => new ProtectedSigner(k, ourProtection, { gate: dg }));
    const ours = client(ourNode, signers, epochCache, { onSignature: dg.observe.bind(dg) });
    expect(signers.map(s => s.refusal())).toEqual([undefined, undefined]);

    await otherNode.p2p.dial(ourNode.p2p.getMultiaddrs()[0]!);
    await waitFor('topic peers', () =>
      [otherNode, ourNode].every(
        n => n.p2p.getTopicPeers('block_proposal').length === 1 && n.p2p.getTopicPeers('attestation').length === 1,
      ),
    );

    // The other node's block for SLOT; its copy of `shared` attests it, then the proposal goes out.
    const fork = otherNode.world.worldState.fork();
    const globals = testGlobals(fork.baseBlockNumber + 1n, { slotNumber: SLOT });
    const built = await buildBlock({
      fork,
      txs: [],
      globals,
      l1ToL2Messages: [],
      l1ChainId: TEST_CHAIN_ID,
      feeJuicePortal: TEST_PORTAL,
    });
    fork.discard();
    const hash = headerHash(built.block.header);
    const archive = built.block.archive.root;
    const digest: Hex = other.client.digestOf(hash, archive);
    const sharedSig = await signProposalDigest(digest, sharedKey);
    await otherNode.p2p.publish(
      'attestation',
      encodeBlockAttestation({ slot: SLOT, headerHash: hash, archive, signature: sharedSig }),
    );
    await waitFor('the doppelganger seen', () => dg.status().attesters[0]!.state === 'detected');
    expect(dg.status().attesters[0]!.detected).toEqual({ kind: 'attestation', slot: SLOT, digest, source: 'gossip' });

    await otherNode.p2p.publish(
      'block_proposal',
      encodeBlockProposal({
        slot: SLOT,
        header: encodeHeader(built.block.header),
        archive,
        txHashes: [],
        signature: await signProposalDigest(digest, proposerKey),
      }),
    );
    await waitFor('our attestation', () => ours.outcomes.length === 1);
    expect(ours.outcomes[0]!.result).toBe('attested');
    // Only `own` signed: nothing of `shared` in our record, and the other node (which gossiped its `shared`
    // attestation without pooling it) received `own`'s attestation alone from us.
    expect(ourProtection.get('attestation', own, SLOT)).toBe(digest.toLowerCase());
    expect(ourProtection.get('attestation', shared, SLOT)).toBeUndefined();
    await waitFor('own attestation gossiped', () =>
      other.client.pool.get(SLOT, digest).has(own.toLowerCase() as Address),
    );
    expect([...other.client.pool.get(SLOT, digest).keys()]).toEqual([own.toLowerCase()]);
    expect(signers[0]!.refusal()).toMatch(`attester ${shared} is signing elsewhere`);
    const gauge = (await metrics.getSingleMetric('aztec_validator_doppelganger_detected')!.get()).values;
    expect(gauge.find(v => v.labels['attester'] === shared)?.value).toBe(1);
  });
});
