import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Registry } from 'prom-client';
import { getAddress, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { SlasherContract, type EquivocationSlashedLog } from '../../src/l1/contracts/index.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import type { NodeModules, RunningNode } from '../../src/node/aztec-node.js';
import type { AztecConfig } from '../../src/node/config.js';
import type { P2PBootstrap } from '../../src/p2p/index.js';
import { startLoopbackBootnode } from '../../src/p2p/testing/index.js';
import type { Equivocation, ReportOutcome } from '../../src/slasher/index.js';
import { equivocatingProposer } from '../../src/slasher/testing/index.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

const VALIDATORS = 4;
const MODULES: NodeModules = { node: true, archiver: true, sequencer: true, proverNode: false };

/**
 * The slashing issue's equivocation scenario: four validator nodes over P2P; the first is made (test-only hook, not
 * reachable from the CLI or env) to gossip two different proposals in the first slot it proposes in. The other
 * three see both on gossip and submit the pair to the L1 Slasher, which recomputes both digests, recovers the signer
 * and slashes it: its stake goes down and it leaves the validator set. The equivocating node never reports itself; it
 * warns and counts the slash of its own validator.
 */
describe('equivocation: a validator that signs two proposals for one slot is slashed on L1 by the others', () => {
  let network: InProcessNetwork;
  let bootnode: P2PBootstrap;
  const dirs: string[] = [];
  const nodes: RunningNode[] = [];
  const reports: { node: number; e: Equivocation; outcome: ReportOutcome }[] = [];
  const slashesSeen: { node: number; log: EquivocationSlashedLog; own: boolean }[] = [];
  const equivocatedIn: bigint[] = [];
  const cheater = devAccount(1);

  beforeAll(async () => {
    configureLogging({ level: 'warn', json: true, sink: line => process.stderr.write(line + '\n') });
    network = await startInProcessNetwork({ validators: VALIDATORS });
    bootnode = await startLoopbackBootnode();
    const bootEnr = bootnode.getEnr();
    for (let i = 0; i < VALIDATORS; i++) {
      const dataDirectory = mkdtempSync(join(tmpdir(), `aztec-equivocation-${i + 1}-`));
      dirs.push(dataDirectory);
      const port = await getFreePort();
      const configure = (c: AztecConfig): AztecConfig => ({
        ...c,
        node: { ...c.node, dataDirectory },
        validator: { ...c.validator, validatorPrivateKey: devAccount(i + 1).privateKey },
        p2p: {
          ...c.p2p,
          enabled: true,
          p2pIp: '127.0.0.1',
          p2pPort: port,
          listenAddress: '127.0.0.1',
          bootstrapNodes: [bootEnr],
        },
      });
      const node = i;
      nodes.push(
        await network.addNode(MODULES, configure, {
          ...(i === 0
            ? {
                wrapAttestationSource: equivocatingProposer(cheater.privateKey, {
                  onEquivocated: s => equivocatedIn.push(s),
                }),
              }
            : {}),
          slasher: {
            onReported: (e, outcome) => reports.push({ node, e, outcome }),
            onSlashed: (log, own) => slashesSeen.push({ node, log, own }),
          },
        }),
      );
    }
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
    await bootnode?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const info = (attester: Address) =>
    network.l1.readContract({
      address: network.net.deployment.addresses.rollup,
      abi: RollupAbi,
      functionName: 'getInfo',
      args: [attester],
    });
  const samples = async (registry: Registry, name: string) => {
    const metric = registry.getSingleMetric(name);
    return metric ? (await metric.get()).values : [];
  };

  it('detects the two proposals, lands the evidence on L1, which slashes the proposer; it never reports itself', async () => {
    const stakeBefore = (await info(cheater.address)).stake;
    const slasher = new SlasherContract(network.l1, network.net.deployment.addresses.slasher);
    const penalty = await slasher.getPenalty();

    await until('the cheater to equivocate', () => equivocatedIn.length > 0, 120_000);
    const slot = equivocatedIn[0]!;
    await until('a slash on L1', () => slashesSeen.some(s => s.log.attester === cheater.address), 60_000);
    await until('the reporter to hear of its receipt', () => reports.some(r => r.outcome === 'slashed'), 20_000);

    // On L1: one EquivocationSlashed for the cheater at that slot, as a duplicate proposal, reported by another node.
    const logs = (await slasher.getSlashedLogs(0n, await network.l1.getBlockNumber())).filter(
      l => l.attester === cheater.address,
    );
    expect(logs).toHaveLength(1);
    const slash = logs[0]!;
    expect(slash.slot).toBe(slot);
    expect(slash.offence).toBe('duplicate_proposal');
    expect(slash.amount).toBe(penalty);
    const honest = [2, 3, 4].map(i => getAddress(devAccount(i).address));
    expect(honest).toContain(slash.reporter);
    expect(slash.reporter).not.toBe(cheater.address);

    // Its stake went down by the penalty, below the minimum: it is exiting, out of the validator set.
    const after = await info(cheater.address);
    expect(after.stake).toBe(stakeBefore - penalty);
    expect(after.status).toBe(2);
    const attesters = await network.l1.readContract({
      address: network.net.deployment.addresses.rollup,
      abi: RollupAbi,
      functionName: 'getAttesters',
    });
    expect(attesters).not.toContain(cheater.address);

    // The honest nodes reported it (one slashed, the others refused by L1 or slashed first); the cheater never did.
    const aboutCheater = reports.filter(r => r.e.attester === cheater.address);
    expect(aboutCheater.filter(r => r.outcome === 'slashed')).toHaveLength(1);
    expect(aboutCheater.every(r => r.node !== 0 || r.outcome === 'own')).toBe(true);
    expect(await samples(nodes[0]!.metrics, 'aztec_slasher_evidence_submitted_total')).toEqual([]);
    const submitted = await Promise.all(
      nodes.slice(1).map(n => samples(n.metrics, 'aztec_slasher_evidence_submitted_total')),
    );
    expect(submitted.flat().find(v => v.labels['outcome'] === 'slashed')?.value).toBe(1);

    // The cheater's node saw its own validator slashed: a warning and a metric.
    await until('the cheater’s node to see its slash', () => slashesSeen.some(s => s.node === 0 && s.own), 20_000);
    const own = await samples(nodes[0]!.metrics, 'aztec_slasher_own_validator_slashed_total');
    expect(own).toEqual([expect.objectContaining({ labels: { offence: 'duplicate_proposal' }, value: 1 })]);
    // No honest node had a slash of its own.
    expect(slashesSeen.filter(s => s.node !== 0 && s.own)).toEqual([]);
  }, 300_000);
});
