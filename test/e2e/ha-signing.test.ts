import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeFunctionData, getAddress, parseAbiItem, type Address, type Hex } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';

import { resolveAztecConfig } from '../../src/cli/commands/start/parse.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { postgresForTests, startPostgres, type PostgresServer } from '../../src/foundation/testing/postgres-server.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { startLocalNetwork, type LocalNetwork } from '../../src/node/local-network.js';
import { proposalDigest, recoverAttester } from '../../src/protocol/proposal-digest.js';
import { frToHex } from '../../src/types/fr.js';
import { decodeHeader, headerHash } from '../../src/types/header-codec.js';
import { HaSigningDatabase, type DutyRecord } from '../../src/validator/ha/index.js';
import { writeKeystore } from '../../src/validator/keystore/index.js';
import { chainIdentityRoot } from '../../src/validator/slashing-protection.js';
import { runAztec, spawnAztec, type AztecProcess } from '../helpers/cli.js';
import { until } from '../helpers/in-process-network.js';

/** Short epochs: three of them in 12 slots of the local preset's 8 s. */
const EPOCH_SLOTS = 4;
const PROPOSED = parseAbiItem(
  'event L2BlockProposed(uint256 indexed blockNumber, bytes32 indexed archive, bytes32[] versionedBlobHashes)',
);

interface L1Block {
  slot: bigint;
  digest: Hex;
  /** The proposer: its publisher is its attester key here. */
  sender: Address;
  attesters: Address[];
}

async function l1Blocks(l1Url: string, rollup: Address): Promise<L1Block[]> {
  const l1 = createL1PublicClient({ rpcUrls: [l1Url], chainId: 31337 });
  const logs = await l1.getLogs({ address: rollup, event: PROPOSED, fromBlock: 0n });
  const out: L1Block[] = [];
  for (const log of logs) {
    const tx = await l1.getTransaction({ hash: log.transactionHash });
    const { args } = decodeFunctionData({ abi: RollupAbi, data: tx.input });
    const [rawHeader, archive, attestations] = args as unknown as [Hex, Hex, { v: number; r: Hex; s: Hex }[]];
    const header = decodeHeader(Buffer.from(rawHeader.slice(2), 'hex'));
    const digest = proposalDigest(31337, rollup, frToHex(headerHash(header)), archive);
    out.push({
      slot: header.globalVariables.slotNumber,
      digest,
      sender: getAddress(tx.from),
      attesters: await Promise.all(attestations.map(a => recoverAttester(digest, a))),
    });
  }
  return out;
}

/** (slot, digest) of every proposal a node's log shows it gossiped or received, from its JSON log lines. */
function gossipSeen(output: string): { slot: bigint; digest: Hex }[] {
  const seen: { slot: bigint; digest: Hex }[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { msg?: string; slot?: unknown; digest?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    const about =
      entry.msg === 'Gossiped block proposal' ||
      entry.msg === 'Attested a block proposal' ||
      entry.msg?.startsWith('Block proposal not attested');
    const slot = entry.slot;
    if (about && typeof entry.digest === 'string' && (typeof slot === 'string' || typeof slot === 'number')) {
      seen.push({ slot: BigInt(slot), digest: entry.digest as Hex });
    }
  }
  return seen;
}

const signatureOf = (packed: Hex): { r: Hex; s: Hex; v: number } => ({
  r: `0x${packed.slice(2, 66)}`,
  s: `0x${packed.slice(66, 130)}`,
  v: parseInt(packed.slice(130), 16),
});

const pgAvailable = postgresForTests();

describe.skipIf(!pgAvailable.available)('HA signing: two nodes, one keystore, one PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-e2e-'));
  let server: PostgresServer | undefined;
  let net: LocalNetwork | undefined;
  const procs: AztecProcess[] = [];
  afterAll(async () => {
    for (const p of procs.reverse()) await p.stop('SIGKILL');
    await net?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('blocks keep coming through a kill -9 of one node and a stop of the other; no duty is signed twice or with two digests', async () => {
    if (!pgAvailable.available) return;
    server = await startPostgres(pgAvailable.bin);
    const dbUrl = server.url;
    const migrated = runAztec(['migrate-ha-db', 'up', '--database-url', dbUrl]);
    expect(migrated.code, migrated.stderr).toBe(0);

    // Four attesters, each its own publisher; committee 4, quorum 3: either node alone holds a quorum.
    const keys = Array.from({ length: 4 }, (_, i) => devAccount(i + 5));
    const keystore = join(dir, 'keystore.json');
    await writeKeystore(
      keystore,
      keys.map(k => ({ attesterPrivateKey: k.privateKey })),
      { kind: 'inline' },
      { extend: false },
    );
    const attesters = new Set<Address>(keys.map(k => k.address));

    const l1Port = await getFreePort();
    const l1Url = `http://127.0.0.1:${l1Port}`;
    const timing = { AZTEC_EPOCH_DURATION: String(EPOCH_SLOTS) };
    const { config } = resolveAztecConfig(
      { flags: { '--l1-rpc-urls': l1Url }, env: timing },
      { defaultNetwork: 'local' },
    );
    net = await startLocalNetwork(config.l1, {
      validators: keys.length,
      keystoreValidators: keys.map(k => ({ attester: k.address, proposer: k.address })),
      // Slot 0 starts now; the nodes begin with the slot they are up for.
      genesisDelaySeconds: 0,
    });
    const rollup = net.deployment.addresses.rollup;

    const common = {
      ...timing,
      NETWORK: 'local',
      ETHEREUM_HOSTS: l1Url,
      L1_CONSENSUS_HOST_URLS: l1Url,
      P2P_IP: '127.0.0.1',
      P2P_LISTEN_ADDR: '127.0.0.1',
      AZTEC_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_JSON: 'true',
    };
    const bootPort = await getFreePort();
    const boot = spawnAztec(['start', '--p2p-bootstrap'], {
      ...common,
      P2P_PORT: String(bootPort),
      DATA_DIRECTORY: join(dir, 'bootnode'),
      AZTEC_PORT: String(await getFreePort()),
      AZTEC_ADMIN_PORT: String(await getFreePort()),
    });
    procs.push(boot);
    await boot.waitFor(/^enr:/m, 60_000);
    const enr = /^(enr:[A-Za-z0-9_-]+)$/m.exec(boot.output().stdout)![1]!;

    // rpc, admin and P2P ports per node, kept across a restart.
    const ports = {
      'node-a': [await getFreePort(), await getFreePort(), await getFreePort()],
      'node-b': [await getFreePort(), await getFreePort(), await getFreePort()],
    };
    const startNode = (id: 'node-a' | 'node-b') => {
      const [rpc, admin, p2p] = ports[id];
      const proc = spawnAztec(['start', '--archiver', '--node', '--sequencer'], {
        ...common,
        KEY_STORE_DIRECTORY: keystore,
        DATA_DIRECTORY: join(dir, id),
        VALIDATOR_HA_SIGNING_ENABLED: 'true',
        VALIDATOR_HA_DATABASE_URL: dbUrl,
        VALIDATOR_HA_NODE_ID: id,
        P2P_ENABLED: 'true',
        P2P_PORT: String(p2p),
        BOOTSTRAP_NODES: enr,
        AZTEC_PORT: String(rpc),
        AZTEC_ADMIN_PORT: String(admin),
      });
      procs.push(proc);
      return proc;
    };
    /** Everything each node printed, over all its runs (a restarted node's earlier output too). */
    const outputs: AztecProcess[] = [];
    const runNode = async (id: 'node-a' | 'node-b') => {
      const proc = startNode(id);
      outputs.push(proc);
      await proc.waitFor(/Node started/, 90_000);
      return proc;
    };

    let blocks: L1Block[] = [];
    const slotTime = Number(config.l1.aztecSlotDuration) * 1000;
    const moreBlocks = async (what: string, n: number) => {
      const from = (await l1Blocks(l1Url, rollup)).length;
      await until(what, async () => (blocks = await l1Blocks(l1Url, rollup)).length >= from + n, (n + 4) * slotTime);
      return blocks.at(-1)!.slot;
    };

    let a = await runNode('node-a');
    const b = await runNode('node-b');
    const firstSlot = await moreBlocks('2 blocks with both nodes up', 2);

    // kill -9 of node A in the middle of a slot: the other keeps producing.
    await a.stop('SIGKILL');
    const killedAt = (await l1Blocks(l1Url, rollup)).at(-1)?.slot ?? firstSlot;
    const bAloneUntil = await moreBlocks('3 blocks from node B alone', 3);

    // A restarts on its data directory, with its node id: it rejoins...
    a = await runNode('node-a');
    await moreBlocks('2 blocks with both nodes up again', 2);
    // ...and carries the set alone once B stops.
    await b.stop('SIGINT');
    const bStoppedAt = (await l1Blocks(l1Url, rollup)).at(-1)!.slot;
    // At least 2 blocks from A alone, and on until the run covers 3 epochs.
    const left = Number(firstSlot + BigInt(3 * EPOCH_SLOTS - 1) - (blocks.at(-1)?.slot ?? firstSlot));
    const lastSlot = await moreBlocks('blocks from the restarted node A alone', Math.max(2, left));
    expect(await a.stop('SIGINT')).toBe(0);
    expect(lastSlot - firstSlot + 1n).toBeGreaterThanOrEqual(BigInt(3 * EPOCH_SLOTS));

    const db = await HaSigningDatabase.connect({
      url: dbUrl,
      chainRoot: chainIdentityRoot(31337, rollup),
      nodeId: 'test',
    });
    let duties: DutyRecord[];
    try {
      duties = await db.duties();
    } finally {
      await db.close();
    }
    const dutyOf = (kind: 'block' | 'attestation', attester: Address, slot: bigint) =>
      duties.find(d => d.kind === kind && d.slot === slot && d.attester === attester.toLowerCase());

    // Every slot from the first observed to the last has a block, but the one node A died in and the one B stopped
    // in: a duty claimed by a node that then dies stays claimed (the other node must not sign it), so that slot
    // may be lost, never signed twice.
    const bySlot = new Map(blocks.map(bl => [bl.slot, bl]));
    for (let s = firstSlot; s <= lastSlot; s++) {
      if (bySlot.has(s)) continue;
      const excused = (s >= killedAt && s <= killedAt + 1n) || (s >= bStoppedAt && s <= bStoppedAt + 1n);
      expect(excused, `slot ${s} has no block (A killed after slot ${killedAt}, B stopped after ${bStoppedAt})`).toBe(
        true,
      );
    }
    for (const bl of blocks.filter(x => x.slot >= firstSlot)) {
      // Each L1 block's proposal and attestations are the duties claimed in the database, with its digest.
      expect(attesters.has(bl.sender)).toBe(true);
      expect(dutyOf('block', bl.sender, bl.slot)?.digest, `block of slot ${bl.slot}`).toBe(bl.digest);
      expect(new Set(bl.attesters).size).toBeGreaterThanOrEqual(3);
      for (const att of bl.attesters) {
        expect(dutyOf('attestation', att, bl.slot)?.digest, `attestation of ${att} at ${bl.slot}`).toBe(bl.digest);
      }
    }
    // While A was dead, every block was B's; after B stopped, every block was the restarted A's.
    const holderOf = (slot: bigint) => dutyOf('block', bySlot.get(slot)!.sender, slot)?.nodeId;
    const bAlone = blocks.filter(x => x.slot > killedAt + 1n && x.slot <= bAloneUntil);
    expect(bAlone.length).toBeGreaterThanOrEqual(2);
    for (const bl of bAlone) expect(holderOf(bl.slot), `slot ${bl.slot}`).toBe('node-b');
    const aAlone = blocks.filter(x => x.slot > bStoppedAt + 1n);
    expect(aAlone.length).toBeGreaterThanOrEqual(1);
    for (const bl of aAlone) expect(holderOf(bl.slot), `slot ${bl.slot}`).toBe('node-a');

    // No (attester, slot) with two digests in the database, each duty once (the primary key) and signed once by
    // its holder, the signature recovering to the attester over the claimed digest.
    const digests = new Map<string, Set<Hex>>();
    for (const d of duties) {
      const key = `${d.attester}:${d.slot}`;
      digests.set(key, (digests.get(key) ?? new Set()).add(d.digest));
      if (d.signature === undefined) {
        // Only a node killed between claim and signature leaves a duty unsigned.
        expect(d.slot >= killedAt && d.slot <= killedAt + 1n, `unsigned duty at slot ${d.slot}`).toBe(true);
        continue;
      }
      expect((await recoverAttester(d.digest, signatureOf(d.signature))).toLowerCase()).toBe(d.attester);
    }
    for (const [key, set] of digests) expect(set.size, key).toBe(1);
    expect(new Set(duties.map(d => `${d.kind}:${d.attester}:${d.slot}`)).size).toBe(duties.length);

    // What both nodes saw on gossip (proposals they sent, proposals they received): one digest per slot, L1's.
    const seen = outputs.flatMap(p => gossipSeen(`${p.output().stdout}\n${p.output().stderr}`));
    expect(seen.length).toBeGreaterThan(0);
    const seenBySlot = new Map<bigint, Set<Hex>>();
    for (const s of seen) seenBySlot.set(s.slot, (seenBySlot.get(s.slot) ?? new Set()).add(s.digest));
    for (const [slot, set] of seenBySlot) {
      expect(set.size, `slot ${slot} gossiped with ${[...set].join(', ')}`).toBe(1);
      const onL1 = bySlot.get(slot);
      if (onL1) expect([...set][0]).toBe(onL1.digest);
    }
  }, 420_000);
});
