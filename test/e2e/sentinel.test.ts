import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import type { NodeModules, RunningNode } from '../../src/node/aztec-node.js';
import { nodeApiSchema } from '../../src/node/api/schema.js';
import type { AztecConfig } from '../../src/node/config.js';
import type { P2PBootstrap } from '../../src/p2p/index.js';
import { startLoopbackBootnode } from '../../src/p2p/testing/index.js';
import { spawnAztec } from '../helpers/cli.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** The local network's timing (networks.ts): 8 s slots, 8 slots an epoch. */
const SLOT_MS = 8_000;
const EPOCH_SLOTS = 8;
const VALIDATORS = 4;
const MODULES: NodeModules = { node: true, archiver: true, sequencer: true, proverNode: false };

/**
 * The sentinel issue's network: four validator nodes over P2P (a bootnode's ENR to find each other), each with its own
 * data directory. Validator 4 is stopped for an epoch: validator 1's sentinel records its missed attestations (and
 * proposals, in its slots), served by node_getValidatorsStats and printed by `aztec get-info --validator`; once it is
 * back and attesting again, its misses stop growing.
 */
describe('the sentinel records a validator stopped for an epoch, and stops counting once it is back', () => {
  let network: InProcessNetwork;
  let bootnode: P2PBootstrap;
  const dirs: string[] = [];
  const ports: number[] = [];
  const validators: (RunningNode | undefined)[] = [];
  const absent = devAccount(VALIDATORS).address; // validator 4

  async function startValidator(i: number): Promise<RunningNode> {
    const configure = (c: AztecConfig): AztecConfig => ({
      ...c,
      node: { ...c.node, dataDirectory: dirs[i]! },
      validator: { ...c.validator, validatorPrivateKey: devAccount(i + 1).privateKey },
      p2p: {
        ...c.p2p,
        enabled: true,
        p2pIp: '127.0.0.1',
        p2pPort: ports[i]!,
        listenAddress: '127.0.0.1',
        bootstrapNodes: [bootnode.getEnr()],
      },
    });
    // Validator 1 also proves, so no epoch is pruned while the test runs.
    const node = await network.addNode({ ...MODULES, proverNode: i === 0 }, configure);
    validators[i] = node;
    return node;
  }

  const watcher = () => createRpcClient(validators[0]!.rpcUrl, 'node', nodeApiSchema);
  const statsOfAbsent = async (fromSlot?: number) => (await watcher().getValidatorStats(absent, fromSlot)) ?? undefined;
  const lastProcessed = async () => Number((await watcher().getValidatorsStats()).lastProcessedSlot ?? -1);
  const missesOf = (s: Awaited<ReturnType<typeof statsOfAbsent>>) =>
    s ? s.validator.missedAttestations.count + s.validator.missedProposals.count : 0;

  beforeAll(async () => {
    network = await startInProcessNetwork({ validators: VALIDATORS });
    bootnode = await startLoopbackBootnode();
    for (let i = 0; i < VALIDATORS; i++) {
      ports.push(await getFreePort());
      dirs.push(mkdtempSync(join(tmpdir(), `aztec-sentinel-${i + 1}-`)));
    }
    for (let i = 0; i < VALIDATORS; i++) await startValidator(i);
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
    await bootnode?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('shows the misses in node_getValidatorsStats and get-info --validator, and they stop growing after a restart', async () => {
    // Everyone is up and attesting: validator 4's attestations are recorded as sent.
    await until(
      "validator 1's sentinel to see validator 4 attest",
      async () => ((await statsOfAbsent())?.validator.attestations.sent ?? 0) > 0,
      12 * SLOT_MS,
    );

    // Slots from the next one on: validator 4 is gone for all of them.
    const stoppedAfter = Number((await watcher().getSlotInfo()).slot);
    await validators[3]!.stop();
    validators[3] = undefined;
    // An epoch down, plus the two slots the sentinel waits before settling one.
    await until(
      'an epoch of slots settled with validator 4 down',
      async () => (await lastProcessed()) >= stoppedAfter + EPOCH_SLOTS,
      (EPOCH_SLOTS + 6) * SLOT_MS,
    );

    const all = await watcher().getValidatorsStats();
    const down = all.stats[absent];
    expect(down, `validator 4 in ${Object.keys(all.stats).join(', ')}`).toBeDefined();
    const whileDown = down!.history.filter(h => Number(h.slot) > stoppedAfter);
    expect(whileDown.length).toBeGreaterThanOrEqual(EPOCH_SLOTS - 1);
    // Every duty it had while down is a miss: attestations of the others' blocks, and its own slots' blocks.
    expect(whileDown.filter(h => !h.status.endsWith('-missed'))).toEqual([]);
    expect(down!.missedAttestations.count).toBeGreaterThanOrEqual(EPOCH_SLOTS / 2);
    expect(down!.missedAttestations.currentStreak).toBeGreaterThan(0);
    // Nobody else is blamed for its absence: the others missed less than it did.
    for (const i of [0, 1, 2]) {
      const other = all.stats[devAccount(i + 1).address]!;
      expect(other.missedAttestations.count).toBeLessThan(down!.missedAttestations.count);
    }
    // Checksummed addresses, slots as decimal strings.
    expect(Object.keys(all.stats)).toContain(absent);
    expect(all.lastProcessedSlot).toMatch(/^\d+$/);

    // The operator's view of the same.
    const info = spawnAztec(['get-info', '--node-url', validators[0]!.rpcUrl, '--validator', absent.toLowerCase()]);
    // Waited for without blocking: the nodes run in this process.
    await until('aztec get-info to exit', () => info.child.exitCode !== null, 60_000);
    await info.stop();
    expect(info.child.exitCode, info.output().stderr).toBe(0);
    const printed = info.output().stdout;
    expect(printed).toContain(`Validator ${absent}`);
    const missedLine = /Attestations: \d+ sent .*?, (\d+) missed of (\d+)/.exec(printed);
    expect(missedLine, printed).not.toBeNull();
    expect(Number(missedLine![1])).toBeGreaterThanOrEqual(down!.missedAttestations.count);
    expect(printed).toMatch(/attestation-missed/);

    // Back on its data directory: once it attests again, its misses stop growing.
    const restartedAt = await lastProcessed();
    await startValidator(3);
    let back = -1;
    await until(
      'validator 4 to attest again',
      async () => {
        const s = await statsOfAbsent(restartedAt + 1);
        const done = s?.validator.history.find(h => h.status === 'attestation-sent' || h.status === 'block-mined');
        if (done) back = Number(done.slot);
        return done !== undefined;
      },
      16 * SLOT_MS,
    );
    const missesWhenBack = missesOf(await statsOfAbsent());
    // An epoch settled since it is back, and enough duties in it to count: under load a slot can go without a
    // block (no one to attest to), so the wait is for half an epoch's attestations rather than a fixed slot count.
    await until(
      'an epoch settled since it is back, with half an epoch of its attestations in it',
      async () =>
        (await lastProcessed()) >= back + EPOCH_SLOTS &&
        ((await statsOfAbsent(back))?.validator.attestations.sent ?? 0) >= EPOCH_SLOTS / 2,
      20 * SLOT_MS,
    );
    const after = await statsOfAbsent(back);
    expect(after!.validator.history.filter(h => h.status.endsWith('-missed'))).toEqual([]);
    expect(after!.validator.attestations.sent).toBeGreaterThanOrEqual(EPOCH_SLOTS / 2);
    expect(missesOf(await statsOfAbsent())).toBe(missesWhenBack);
  }, 600_000);
});
