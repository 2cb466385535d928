import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { SlashFactoryContract, SlasherContract } from '../../src/l1/contracts/index.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import type { NodeModules, RunningNode } from '../../src/node/aztec-node.js';
import type { AztecConfig } from '../../src/node/config.js';
import type { P2PBootstrap } from '../../src/p2p/index.js';
import { startLoopbackBootnode } from '../../src/p2p/testing/index.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** The local network's timing (networks.ts): 8 s slots, 8 slots an epoch. */
const SLOT_MS = 8_000;
const EPOCH_SLOTS = 8;
const VALIDATORS = 4;
const MODULES: NodeModules = { node: true, archiver: true, sequencer: true, proverNode: false };
const PENALTY = 10n * 10n ** 18n;

/**
 * Inactivity slashing end to end: four validator nodes over P2P on a network deployed with slashing rounds of 4 slots
 * (quorum 3, no delay). Validator 4 is stopped; once the sentinels of the other three have a whole epoch of its
 * misses (SLASH_INACTIVITY_EPOCHS=1), their proposers signal one payload against it, a round reaches the quorum, a
 * later proposer executes it, and validator 4 loses SLASH_INACTIVITY_PENALTY of its stake.
 */
describe('a validator stopped for an epoch is slashed by the votes of the others', () => {
  let network: InProcessNetwork;
  let bootnode: P2PBootstrap;
  const validators: (RunningNode | undefined)[] = [];
  const absent = devAccount(VALIDATORS).address;

  async function startValidator(i: number, port: number): Promise<RunningNode> {
    const configure = (c: AztecConfig): AztecConfig => ({
      ...c,
      validator: { ...c.validator, validatorPrivateKey: devAccount(i + 1).privateKey },
      slasher: { ...c.slasher, inactivityEpochs: 1, inactivityPenalty: PENALTY },
      p2p: {
        ...c.p2p,
        enabled: true,
        p2pIp: '127.0.0.1',
        p2pPort: port,
        listenAddress: '127.0.0.1',
        bootstrapNodes: [bootnode.getEnr()],
      },
    });
    // Validator 1 also proves, so no epoch is pruned while the test runs.
    const node = await network.addNode({ ...MODULES, proverNode: i === 0 }, configure);
    validators[i] = node;
    return node;
  }

  beforeAll(async () => {
    network = await startInProcessNetwork({
      validators: VALIDATORS,
      l1: c => ({
        ...c,
        aztecSlashingRoundSize: 4,
        aztecSlashingQuorum: 3,
        aztecSlashingExecutionDelayInRounds: 0,
        aztecSlashingLifetimeInRounds: 4,
      }),
    });
    bootnode = await startLoopbackBootnode();
    for (let i = 0; i < VALIDATORS; i++) await startValidator(i, await getFreePort());
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
    await bootnode?.stop();
  });

  it('signals one payload against it, executes the round and slashes it', async () => {
    const { addresses } = network.net.deployment;
    const stakeOf = async () =>
      (
        await network.l1.readContract({
          address: addresses.rollup,
          abi: RollupAbi,
          functionName: 'getInfo',
          args: [absent],
        })
      ).stake;
    const before = await stakeOf();
    // Let the network produce a block with everyone up, then stop validator 4.
    await until('a first block', () => validators[0]!.archiver.store.getLatestBlockNumber() >= 1n, 12 * SLOT_MS);
    await validators[3]!.stop();
    validators[3] = undefined;

    // A whole epoch of misses (up to two epochs' wait), two slots to settle it, then rounds of 4 slots until one has
    // three honest proposers, and the next round's first honest proposer executes it.
    await until('validator 4 slashed', async () => (await stakeOf()) < before, (3 * EPOCH_SLOTS + 24) * SLOT_MS);
    expect(await stakeOf()).toBe(before - PENALTY);

    const slasher = new SlasherContract(network.l1, addresses.slasher);
    const factory = new SlashFactoryContract(network.l1, (await slasher.getVoting()).slashFactory);
    const signals = await slasher.getSignalledLogs(0n, await network.l1.getBlockNumber());
    expect(signals.length).toBeGreaterThanOrEqual(3);
    // Every vote was for a payload slashing validator 4 alone, none by validator 4's account.
    for (const payload of new Set(signals.map(s => s.payload))) {
      expect(await factory.getActions(payload)).toEqual([{ attester: absent, amount: PENALTY }]);
    }
    expect(signals.some(s => s.signaler === absent)).toBe(false);
    const voted = await slasher.getVotedSlashLogs(0n, await network.l1.getBlockNumber());
    expect(voted.map(v => [v.attester, v.amount])).toEqual([[absent, PENALTY]]);
    // The honest nodes counted what they sent: the signals on L1, and the one execution.
    const sum = async (name: string, labels: Record<string, string>) => {
      let total = 0;
      for (const v of validators.slice(0, 3)) {
        const metric = v!.metrics.getSingleMetric(name);
        for (const x of metric ? (await metric.get()).values : []) {
          if (Object.entries(labels).every(([k, want]) => x.labels[k] === want)) total += x.value;
        }
      }
      return total;
    };
    expect(await sum('aztec_slasher_signals_sent_total', { outcome: 'signalled' })).toBe(signals.length);
    // The executing node counts once its sender has the receipt, which may be after the slash shows in L1's state.
    await until(
      'the execution counted',
      async () => (await sum('aztec_slasher_rounds_executed_total', { outcome: 'executed' })) > 0,
      4 * SLOT_MS,
    );
    expect(await sum('aztec_slasher_rounds_executed_total', { outcome: 'executed' })).toBe(1);
  }, 600_000);
});
