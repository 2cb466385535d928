import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Registry } from 'prom-client';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openKvStore, type KvStore } from '../../src/kv/index.js';
import {
  RollupContract,
  SlashFactoryContract,
  SlasherContract,
  type RollupConstants,
  type SlashSignalledLog,
  type VotedSlashLog,
} from '../../src/l1/contracts/index.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { L1TxSender } from '../../src/l1/tx-sender.js';
import { inactivityStatsOf } from '../../src/node/slasher-factory.js';
import { SentinelStats, SentinelStore, type SlotDuties } from '../../src/sentinel/index.js';
import { inactivityWindow, SlasherClient, type SlashActionInput } from '../../src/slasher/index.js';
import { devValidators, startTestL1, testDeployParams, type TestL1 } from '../helpers/l1.js';
import { until } from '../helpers/in-process-network.js';

/**
 * Slashing an inactive validator by proposer votes, against the real contracts on anvil. Four validators (anvil
 * accounts 1–4), each held by its own node (a SlasherClient with its inactivity voter, sending from the validator's
 * registered proposer account); account 4 missed every attestation in the sentinel's history (real LMDB store).
 * Slot by slot (L1 time moved to each slot's start), the node whose validator proposes votes: the honest three agree
 * on one payload per round (the SlashFactory's address for [account 4, penalty] tagged with the last epoch judged), a
 * round reaches the quorum, a later proposer
 * executes it, and account 4 loses the penalty. Account 4's node never signals against its own validator, does not
 * execute the round that slashes it, and warns with a metric when the network signals and executes it.
 */
describe('Inactivity slashing by proposer votes on a real L1', () => {
  const ROUND = 3n;
  const PENALTY = 5n * 10n ** 18n;
  const params = testDeployParams({
    initialValidators: devValidators(4),
    slashingRoundSize: ROUND,
    slashingQuorum: 2n,
    slashingExecutionDelayInRounds: 0n,
    slashingLifetimeInRounds: 3n,
  });
  const OFFENDER = devAccount(4).address;
  let l1: TestL1;
  let kv: KvStore;
  let dir: string;
  let constants: RollupConstants;
  let slasherContract: SlasherContract;
  const clients: SlasherClient[] = [];

  beforeAll(async () => {
    l1 = await startTestL1(params);
    constants = await new RollupContract(l1.publicClient, l1.deployment.addresses.rollup).getConstants();
    slasherContract = new SlasherContract(l1.publicClient, l1.deployment.addresses.slasher);
    dir = mkdtempSync(join(tmpdir(), 'inactivity-slashing-'));
    kv = await openKvStore({ dataDirectory: dir, name: 'node' });
  });
  afterAll(async () => {
    for (const c of clients) await c.stop();
    await kv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await l1?.stop();
  });

  const counterValue = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
    const metric = registry.getSingleMetric(name);
    const values = metric ? (await metric.get()).values : [];
    return values
      .filter(v => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
      .reduce((sum, v) => sum + v.value, 0);
  };
  const stakeOf = async (attester: Address) =>
    (
      await l1.publicClient.readContract({
        address: l1.deployment.addresses.rollup,
        abi: RollupAbi,
        functionName: 'getInfo',
        args: [attester],
      })
    ).stake;

  it('reaches the quorum on one payload, executes it and slashes the inactive validator, never by its own node', async () => {
    // The sentinel's history: slots 0..63, every validator attests except account 4 (all of them also "settled").
    const store = new SentinelStore(kv, 64);
    for (let slot = 0n; slot < 64n; slot++) {
      const duties: SlotDuties = new Map();
      for (const v of params.initialValidators) {
        const who = v.attester.toLowerCase() as Address;
        duties.set(who, { status: who === OFFENDER.toLowerCase() ? 'attestation-missed' : 'attestation-sent' });
      }
      store.recordSlot(slot, duties);
    }
    const stats = inactivityStatsOf(new SentinelStats(store, constants));

    let current = 0n;
    const slotTs = (slot: bigint) => constants.genesisTime + slot * constants.slotDuration;
    const nodes = await Promise.all(
      [1, 2, 3, 4].map(async account => {
        const own = devAccount(account).address;
        const metrics = new Registry();
        const sender = new L1TxSender(l1.publicClient, l1.wallet(account), {
          pollingIntervalMs: 50,
          stallTimeMs: 10_000,
          maxReplacements: 1,
        });
        const signals: { payload: Address; actions: SlashActionInput[]; ok: boolean }[] = [];
        const executions: { round: bigint; payload: Address; outcome: string }[] = [];
        const seenSignals: [SlashSignalledLog, readonly Address[]][] = [];
        const seenSlashes: [VotedSlashLog, boolean][] = [];
        const client = new SlasherClient(
          {
            equivocationEnabled: false,
            validatorsNever: [],
            inactivityEnabled: true,
            inactivityTargetPercentage: 0.9,
            inactivityEpochs: 1,
            inactivityPenalty: PENALTY,
          },
          {
            l1: l1.publicClient,
            slasher: slasherContract,
            sender: undefined,
            ownAttesters: [own],
            metrics,
            pollingIntervalMs: 100,
            onSignalled: (log, ours) => seenSignals.push([log, ours]),
            onVotedSlash: (log, isOwn) => seenSlashes.push([log, isOwn]),
            inactivity: {
              epochDuration: constants.epochDuration,
              stats: () => stats,
              currentSlot: () => current,
              proposerAt: async slot =>
                l1.publicClient.readContract({
                  address: l1.deployment.addresses.rollup,
                  abi: RollupAbi,
                  functionName: 'getProposerAt',
                  args: [slotTs(slot)],
                }),
              senderFor: async attester =>
                (await slasherContract.proposerForAttester(attester)) === sender.address ? sender : undefined,
              onSignal: e => signals.push(e),
              onExecute: e => executions.push(e),
            },
          },
        );
        clients.push(client);
        await client.start();
        return { own, metrics, client, signals, executions, seenSignals, seenSlashes };
      }),
    );
    const offenderNode = nodes[3]!;
    const honest = nodes.slice(0, 3);

    // Round 4 (slots 12..14) is the first whose window (epoch 0) ended two slots before it; go slot by slot until
    // a round was executed (a round may miss the quorum when account 4 proposes in two of its three slots).
    const before = await stakeOf(OFFENDER);
    const executed = () => nodes.some(n => n.executions.some(e => e.outcome === 'executed'));
    for (let slot = 4n * ROUND; slot < 4n * ROUND + 8n * ROUND && !executed(); slot++) {
      current = slot;
      await l1.mineAt(slotTs(slot));
      for (const n of nodes) await n.client.voteOnce();
    }
    expect(executed()).toBe(true);
    expect(await stakeOf(OFFENDER)).toBe(before - PENALTY);

    // Every honest signal named [account 4, penalty], one payload per round: the factory's address for that list
    // tagged with the round's last judged epoch; the executed one is deployed.
    const { slashFactory } = await slasherContract.getVoting();
    const factory = new SlashFactoryContract(l1.publicClient, slashFactory);
    const list = [{ attester: OFFENDER, amount: PENALTY }];
    const onL1 = await slasherContract.getSignalledLogs(0n, await l1.publicClient.getBlockNumber());
    expect(onL1.length).toBeGreaterThanOrEqual(2);
    for (const s of onL1) {
      const window = inactivityWindow(s.round, ROUND, constants.epochDuration, 1)!;
      expect(s.payload).toBe(await factory.getPayloadAddress(list, window.lastEpoch));
    }
    const execution = nodes.flatMap(n => n.executions).find(e => e.outcome === 'executed')!;
    expect(await factory.getActions(execution.payload)).toEqual(list);
    expect(await slasherContract.isPayloadExecuted(execution.payload)).toBe(true);
    const signalled = honest.flatMap(n => n.signals);
    expect(signalled.every(s => s.ok && s.actions.length === 1 && s.actions[0]!.attester === OFFENDER)).toBe(true);
    expect(signalled.map(s => s.payload).sort()).toEqual(onL1.map(s => s.payload).sort());
    let sent = 0;
    for (const n of honest)
      sent += await counterValue(n.metrics, 'aztec_slasher_signals_sent_total', { outcome: 'signalled' });
    expect(sent).toBe(onL1.length);

    // The offender's own node never signalled (its list without itself is empty) nor executed its slash.
    expect(offenderNode.signals).toEqual([]);
    expect(onL1.some(s => s.signaler === OFFENDER)).toBe(false);
    expect(offenderNode.executions).toEqual([]);
    let executedCount = 0;
    for (const n of honest) {
      executedCount += await counterValue(n.metrics, 'aztec_slasher_rounds_executed_total', { outcome: 'executed' });
    }
    expect(executedCount).toBe(1);

    // ... but it warned: the network signalled and executed a payload naming its validator.
    await until('the offender node sees its slash', () => offenderNode.seenSlashes.some(([, own]) => own), 10_000);
    expect(offenderNode.seenSignals.some(([, ours]) => ours.includes(OFFENDER))).toBe(true);
    expect(
      await counterValue(offenderNode.metrics, 'aztec_slasher_own_attester_in_payload_total', { stage: 'signalled' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await counterValue(offenderNode.metrics, 'aztec_slasher_own_attester_in_payload_total', { stage: 'executed' }),
    ).toBe(1);
    expect(
      await counterValue(offenderNode.metrics, 'aztec_slasher_own_validator_slashed_total', { offence: 'inactivity' }),
    ).toBe(1);
    // The honest nodes saw it too, as someone else's.
    await until('an honest node sees the slash', () => honest[0]!.seenSlashes.length === 1, 10_000);
    expect(honest[0]!.seenSlashes[0]![1]).toBe(false);
    expect(await counterValue(honest[0]!.metrics, 'aztec_slasher_own_attester_in_payload_total')).toBe(0);
  });
});
