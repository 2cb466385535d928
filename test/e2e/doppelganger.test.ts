import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import type { NodeModules, RunningNode } from '../../src/node/aztec-node.js';
import { nodeAdminApiSchema } from '../../src/node/api/schema.js';
import type { AztecConfig } from '../../src/node/config.js';
import { exportSlashingProtection } from '../../src/node/slashing-protection-history.js';
import type { P2PBootstrap } from '../../src/p2p/index.js';
import { startLoopbackBootnode } from '../../src/p2p/testing/index.js';
import { chainIdentityRoot } from '../../src/validator/slashing-protection.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** The local network's timing (networks.ts): 8 s slots, 8 slots an epoch. */
const SLOTS_PER_EPOCH = 8n;
const MODULES: NodeModules = { node: true, archiver: true, sequencer: true, proverNode: false };
const X = devAccount(1); // the local network's one genesis validator
const COINBASE_A: Address = '0x00000000000000000000000000000000000000A1';
const COINBASE_B: Address = '0x00000000000000000000000000000000000000B2';

interface LogLine {
  level: string;
  module: string;
  msg: string;
  attester?: string;
  reason?: string;
}

/**
 * Validator X signs on node A; node B is started with X's key too (its own data directory, no shared HA database)
 * and a one-epoch doppelganger watch. B sees X's proposals and attestations on gossip (and X's blocks on L1) that
 * its signing record lacks, names X and never signs with it; A goes on producing a block in every slot.
 */
describe('doppelganger protection: a second node with a key already signing elsewhere', () => {
  let network: InProcessNetwork;
  let bootnode: P2PBootstrap;
  let a: RunningNode;
  let b: RunningNode | undefined;
  const dirs: string[] = [];
  const lines: LogLine[] = [];

  const withKey =
    (opts: { dir: string; port: number; coinbase: Address; doppelgangerEpochs: number; boot: string }) =>
    (c: AztecConfig): AztecConfig => ({
      ...c,
      node: { ...c.node, dataDirectory: opts.dir },
      validator: { ...c.validator, validatorPrivateKey: X.privateKey, doppelgangerEpochs: opts.doppelgangerEpochs },
      sequencer: { ...c.sequencer, coinbase: opts.coinbase },
      p2p: {
        ...c.p2p,
        enabled: true,
        p2pIp: '127.0.0.1',
        p2pPort: opts.port,
        listenAddress: '127.0.0.1',
        bootstrapNodes: [opts.boot],
      },
    });
  const dataDir = (name: string) => {
    const d = mkdtempSync(join(tmpdir(), `aztec-doppelganger-${name}-`));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    configureLogging({
      level: 'warn;info:sequencer,validator',
      json: true,
      sink: line => {
        const parsed = JSON.parse(line) as LogLine;
        lines.push(parsed);
        if (parsed.level === 'error' || parsed.level === 'warn') process.stderr.write(line + '\n');
      },
    });
    network = await startInProcessNetwork({ validators: 1 });
    bootnode = await startLoopbackBootnode();
    a = await network.addNode(
      { ...MODULES, proverNode: true },
      withKey({
        dir: dataDir('a'),
        port: await getFreePort(),
        coinbase: COINBASE_A,
        doppelgangerEpochs: 0,
        boot: bootnode.getEnr(),
      }),
    );
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
    await bootnode?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses to sign with X and names it (log, admin RPC, metric); A keeps producing; B signs nothing', async () => {
    const chain = () => a.archiver.store;
    const tip = () => chain().getLatestBlockNumber();
    const slotOf = (n: bigint) => chain().getPublishedBlock(n)!.block.header.globalVariables.slotNumber;
    await until('a first block from A', () => tip() >= 1n, 90_000);

    const bDir = dataDir('b');
    b = await network.addNode(
      MODULES,
      withKey({
        dir: bDir,
        port: await getFreePort(),
        coinbase: COINBASE_B,
        doppelgangerEpochs: 1,
        boot: bootnode.getEnr(),
      }),
    );
    const admin = createRpcClient(b.adminUrl, 'nodeAdmin', nodeAdminApiSchema);
    const started = await admin.getValidatorStatus();
    expect(started.doppelgangerEpochs).toBe(1);
    const watchStart = BigInt(started.watchStartSlot!);
    const signsFrom = watchStart + SLOTS_PER_EPOCH;
    expect(started.attesters.map(s => s.attester)).toEqual([X.address]);

    // Within the watch (N = 1 epoch), B names X.
    await until(
      'B to see X signing elsewhere',
      async () => (await admin.getValidatorStatus()).attesters[0]!.doppelganger === 'detected',
      Number(SLOTS_PER_EPOCH) * 8_000,
    );
    const status = await admin.getValidatorStatus();
    const detected = status.attesters[0]!.detected!;
    expect(BigInt(detected.slot)).toBeGreaterThanOrEqual(watchStart);
    expect(BigInt(detected.slot)).toBeLessThan(signsFrom);
    const error = lines.find(l => l.level === 'error' && l.msg.startsWith('Doppelganger detected'));
    expect(error?.msg).toContain(`attester ${X.address}`);
    expect(error?.attester).toBe(X.address);
    expect(await b.metrics.getSingleMetricAsString('aztec_validator_doppelganger_detected')).toContain(
      `aztec_validator_doppelganger_detected{attester="${X.address}"} 1`,
    );

    // Past the end of the watch: still refused; A fills every slot from the one after B started.
    const to = signsFrom + 2n;
    await until(`a block in slot ${to}`, () => slotOf(tip()) >= to, Number(to - watchStart + 4n) * 8_000);
    expect((await admin.getValidatorStatus()).attesters[0]!.doppelganger).toBe('detected');
    const bySlot = new Map<bigint, bigint>();
    for (let n = 1n; n <= tip(); n++) bySlot.set(slotOf(n), n);
    const missing: bigint[] = [];
    for (let s = watchStart + 1n; s <= to; s++) {
      const n = bySlot.get(s);
      if (n === undefined) missing.push(s);
      else expect(chain().getPublishedBlock(n)!.block.header.globalVariables.coinbase, `block ${n}`).toBe(COINBASE_A);
    }
    const skippedA = lines.filter(l => l.msg.startsWith('Skipped slot') && !/doppelganger/.test(l.reason ?? ''));
    expect(missing, `slots without a block; ${skippedA.map(l => `${l.msg}: ${l.reason}`).join('; ')}`).toEqual([]);
    // B's sequencer gave X's slots up before building, saying why.
    const held = lines.filter(l => l.msg.startsWith('Skipped slot') && /doppelganger protection/.test(l.reason ?? ''));
    expect(held.length).toBeGreaterThan(0);
    expect(held.at(-1)!.reason).toContain(`attester ${X.address} is signing elsewhere`);
    // B's validator client attested nothing.
    expect(await b.metrics.getSingleMetricAsString('aztec_validator_attestations_total')).not.toMatch(
      /outcome="attested"\} [1-9]/,
    );

    // B's signing record is empty (it signed nothing with X); A's holds X's signatures.
    await b.stop();
    b = undefined;
    const root = chainIdentityRoot(31337, network.net.deployment.addresses.rollup);
    await expect(exportSlashingProtection(bDir, root)).rejects.toMatchObject({ code: 'NO_SLASHING_HISTORY' });
  }, 420_000);
});
