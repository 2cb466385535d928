import { Registry } from 'prom-client';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SlasherContract } from '../../src/l1/contracts/index.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi, StakingAssetAbi } from '../../src/l1/generated/index.js';
import { L1TxSender } from '../../src/l1/tx-sender.js';
import type { EquivocationSlashedLog } from '../../src/l1/contracts/index.js';
import { SlasherClient, type Equivocation, type ReportOutcome } from '../../src/slasher/index.js';
import { signedProposal } from '../../src/slasher/testing/index.js';
import { devValidators, startTestL1, testDeployParams, type TestL1 } from '../helpers/l1.js';
import { until } from '../helpers/in-process-network.js';

/**
 * The slasher against the real contracts on anvil: equivocation handed to a node's slasher is reported through its
 * L1 tx sender and slashed by the Slasher (which checks both signatures); a second report is refused by L1; the
 * node's own attester is never reported; a slash of the node's own attester is a warning and a metric.
 */
describe('SlasherClient on a real L1', () => {
  let l1: TestL1;
  const params = testDeployParams({ initialValidators: devValidators(4) });
  const OWN = devAccount(1);
  const OTHER = devAccount(2);
  const clients: SlasherClient[] = [];

  beforeAll(async () => {
    l1 = await startTestL1(params);
  });
  afterAll(async () => {
    for (const c of clients) await c.stop();
    await l1?.stop();
  });

  const where = () => ({ l1ChainId: l1.anvil.chainId, rollup: l1.deployment.addresses.rollup });
  const stakeOf = async (attester: Address) =>
    (
      await l1.publicClient.readContract({
        address: l1.deployment.addresses.rollup,
        abi: RollupAbi,
        functionName: 'getInfo',
        args: [attester],
      })
    ).stake;
  const counterValue = async (registry: Registry, name: string, labels: Record<string, string>) => {
    const metric = registry.getSingleMetric(name);
    const values = metric ? (await metric.get()).values : [];
    const hit = values.find(v => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
    return hit?.value ?? 0;
  };

  /** A slasher for a node holding `own`, reporting with anvil account `reporter`. */
  async function startClient(own: Address[], reporter: number) {
    const metrics = new Registry();
    const reported: [Equivocation, ReportOutcome][] = [];
    const slashed: [EquivocationSlashedLog, boolean][] = [];
    const sender = new L1TxSender(l1.publicClient, l1.wallet(reporter), {
      pollingIntervalMs: 50,
      stallTimeMs: 10_000,
      maxReplacements: 1,
    });
    const client = new SlasherClient(
      {
        equivocationEnabled: true,
        validatorsNever: [],
        inactivityEnabled: false,
        inactivityTargetPercentage: 0.9,
        inactivityEpochs: 2,
        inactivityPenalty: 1n,
      },
      {
        l1: l1.publicClient,
        slasher: new SlasherContract(l1.publicClient, l1.deployment.addresses.slasher),
        sender,
        ownAttesters: own,
        metrics,
        pollingIntervalMs: 100,
        onReported: (e, o) => reported.push([e, o]),
        onSlashed: (log, isOwn) => slashed.push([log, isOwn]),
      },
    );
    clients.push(client);
    await client.start();
    return { client, metrics, reported, slashed, reporter: devAccount(reporter).address };
  }

  it('reports another validator’s two proposals for one slot: L1 slashes it and pays the reporter', async () => {
    const node = await startClient([OWN.address], 5);
    const before = await stakeOf(OTHER.address);
    node.client.observe(await signedProposal(OTHER.privateKey, where(), 3n, 1));
    node.client.observe(await signedProposal(OTHER.privateKey, where(), 3n, 2));
    await until('the report', () => node.reported.length === 1, 20_000);
    expect(node.reported[0]![1]).toBe('slashed');
    expect(await stakeOf(OTHER.address)).toBe(before - params.slashPenalty);
    const reward = (params.slashPenalty * params.slashReporterRewardBps) / 10_000n;
    const balance = await l1.publicClient.readContract({
      address: l1.deployment.addresses.stakingAsset,
      abi: StakingAssetAbi,
      functionName: 'balanceOf',
      args: [node.reporter],
    });
    expect(balance).toBe(reward);
    expect(await counterValue(node.metrics, 'aztec_slasher_evidence_submitted_total', { outcome: 'slashed' })).toBe(1);
    // Its own watcher sees the slash, of someone else's validator.
    await until('the slash event', () => node.slashed.length === 1, 10_000);
    expect(node.slashed[0]![0]).toMatchObject({ attester: OTHER.address, slot: 3n, reporter: node.reporter });
    expect(node.slashed[0]![1]).toBe(false);
  });

  it('has its evidence refused by L1 when another node reported the same slot first (nothing paid)', async () => {
    const late = await startClient([], 6);
    const before = await stakeOf(OTHER.address);
    late.client.observe(await signedProposal(OTHER.privateKey, where(), 3n, 3));
    late.client.observe(await signedProposal(OTHER.privateKey, where(), 3n, 4));
    await until('the report', () => late.reported.length === 1, 20_000);
    expect(late.reported[0]![1]).toBe('rejected');
    expect(await stakeOf(OTHER.address)).toBe(before);
    expect(await counterValue(late.metrics, 'aztec_slasher_evidence_submitted_total', { outcome: 'rejected' })).toBe(1);
  });

  it('never reports its own attester, and warns with a metric when another node gets it slashed', async () => {
    const ownNode = await startClient([OWN.address], 7);
    const nonce = await l1.publicClient.getTransactionCount({ address: ownNode.reporter });
    const before = await stakeOf(OWN.address);
    const a = await signedProposal(OWN.privateKey, where(), 4n, 5);
    const b = await signedProposal(OWN.privateKey, where(), 4n, 6);
    ownNode.client.observe(a);
    ownNode.client.observe(b);
    await until('the decision', () => ownNode.reported.length === 1, 10_000);
    expect(ownNode.reported[0]![1]).toBe('own');
    expect(await l1.publicClient.getTransactionCount({ address: ownNode.reporter })).toBe(nonce);
    expect(await stakeOf(OWN.address)).toBe(before);
    expect(await counterValue(ownNode.metrics, 'aztec_slasher_equivocations_detected_total', { own: 'true' })).toBe(1);

    // Another node reports it: the own node's watcher warns and counts it.
    const other = await startClient([], 8);
    other.client.observe(a);
    other.client.observe(b);
    await until('the other report', () => other.reported.length === 1, 20_000);
    expect(other.reported[0]![1]).toBe('slashed');
    await until('our slash seen', () => ownNode.slashed.some(([, own]) => own), 10_000);
    const offence = ownNode.slashed.find(([, own]) => own)![0].offence;
    expect(await counterValue(ownNode.metrics, 'aztec_slasher_own_validator_slashed_total', { offence })).toBe(1);
    expect(await stakeOf(OWN.address)).toBe(before - params.slashPenalty);
  });
});
