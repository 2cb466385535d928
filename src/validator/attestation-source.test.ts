import { Registry } from 'prom-client';
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { systemClock } from '../foundation/time/index.js';
import { asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { startTestNode, TEST_NETWORK, type TestNode } from '../p2p/testing/index.js';
import { buildBlock } from '../protocol/block/index.js';
import { ALICE_KEY, makeTx, TEST_CHAIN_ID, TEST_PORTAL, TEST_VERSION, testGlobals } from '../protocol/testing/index.js';
import type { Tx } from '../types/index.js';
import { P2PAttestationSource } from './attestation-source.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from './slashing-protection.js';
import { ValidatorClient } from './validator-client.js';

// One real node with no peers; the committee is a fixed stand-in for the L1 read (no anvil).

let node: TestNode | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

/** A started validator client for `key` on `host`, whose committee is `committee` (quorum 3). */
function startClient(host: TestNode, key: Hex, committee: Address[]): ValidatorClient {
  const me = privateKeyToAddress(key);
  const client = new ValidatorClient(
    {
      p2p: host.p2p,
      epochCache: {
        getCommittee: () => Promise.resolve({ committee, quorum: 3 }),
        getProposerAttester: () => Promise.resolve(me),
      },
      constants: { genesisTime: asUnixSeconds(0n), slotDuration: 600n, epochDuration: 4n },
      clock: systemClock,
      worldState: host.world.worldState,
      txPool: host.pool,
      l1ToL2Messages: () => [],
      l1ChainId: Number(TEST_CHAIN_ID),
      rollup: TEST_NETWORK.rollupAddress,
      rollupVersion: TEST_VERSION,
      feeJuicePortal: TEST_PORTAL,
      baseFees: () => testGlobals(0n).gasFees,
      signers: [new ProtectedSigner(key, new SlashingProtection(host.world.store, chainIdentityRoot(1, me)))],
    },
    { disabled: false, attestationsWaitTimeoutMs: 300, attestationsPollingIntervalMs: 50 },
  );
  client.start();
  return client;
}

/** A block for `slot` on `host`'s world (not committed). */
async function build(host: TestNode, slot: bigint, txs: Tx[] = []) {
  const fork = host.world.worldState.fork();
  const globals = testGlobals(fork.baseBlockNumber + 1n, { slotNumber: asSlot(slot) });
  const args = { fork, txs, globals, l1ToL2Messages: [], l1ChainId: TEST_CHAIN_ID, feeJuicePortal: TEST_PORTAL };
  const built = await buildBlock(args);
  fork.discard();
  return { ...built, failed: [] };
}

/** A counter's value, or with `suffix` (`_count`, `_sum`) that series of a histogram; metrics without labels. */
async function valueOf(registry: Registry, name: string, suffix = ''): Promise<number> {
  const { values } = await registry.getSingleMetric(name)!.get();
  const found = suffix ? values.find(v => (v as { metricName?: string }).metricName === name + suffix) : values[0];
  return found?.value ?? 0;
}

const QUORUM_SECONDS = 'aztec_sequencer_proposal_quorum_seconds';
const NO_QUORUM = 'aztec_sequencer_slots_without_quorum_total';

describe('P2PAttestationSource', () => {
  it('gives up with how many attested, and refuses a second block for a slot it proposed', async () => {
    node = await startTestNode();
    const key = generatePrivateKey();
    const me = privateKeyToAddress(key);
    const committee = [privateKeyToAddress(generatePrivateKey()), me, privateKeyToAddress(generatePrivateKey())];
    const client = startClient(node, key, committee);
    const metrics = new Registry();
    const source = new P2PAttestationSource(client, { metrics });
    const deadline = new Date(Date.now() + 10_000);

    expect(
      await source.collect({ proposer: me, built: await build(node, 12n), committee: [], quorum: 0, deadline }),
    ).toEqual({
      attestations: [],
    });
    const started = Date.now();
    expect(
      await source.collect({ proposer: me, built: await build(node, 12n), committee, quorum: 3, deadline }),
    ).toEqual({
      reason: 'not enough attestations: 1 of 3 committee members attested, 3 needed',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await valueOf(metrics, NO_QUORUM)).toBe(1);
    expect(await valueOf(metrics, QUORUM_SECONDS, '_count')).toBe(0);

    const other = await build(node, 12n, [await makeTx(ALICE_KEY)]);
    const refused = await source.collect({ proposer: me, built: other, committee, quorum: 3, deadline });
    expect(refused).toEqual({ reason: expect.stringContaining('slashing protection') as unknown });
    // Refused by slashing protection is not a lack of attestations.
    expect(await valueOf(metrics, NO_QUORUM)).toBe(1);
  });

  it('observes the proposal → quorum latency when a quorum is collected', async () => {
    node = await startTestNode();
    const key = generatePrivateKey();
    const me = privateKeyToAddress(key);
    const metrics = new Registry();
    const source = new P2PAttestationSource(startClient(node, key, [me]), { metrics });
    const deadline = new Date(Date.now() + 10_000);
    // A committee of one: our own attestation is the quorum.
    const collected = await source.collect({
      proposer: me,
      built: await build(node, 20n),
      committee: [me],
      quorum: 1,
      deadline,
    });
    expect(collected).toEqual({ attestations: [expect.anything()] });

    expect(await valueOf(metrics, QUORUM_SECONDS, '_count')).toBe(1);
    const seconds = await valueOf(metrics, QUORUM_SECONDS, '_sum');
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(seconds).toBeLessThan(2);
    expect(await valueOf(metrics, NO_QUORUM)).toBe(0);
    expect(await metrics.metrics()).toContain('# HELP aztec_sequencer_proposal_quorum_seconds Seconds from gossiping');
  });
});
