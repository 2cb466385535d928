import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Registry } from 'prom-client';
import type { Address } from 'viem';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ArchiverStore } from '../archiver/store.js';
import { asL2BlockNumber, asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { openKvStore, type KvStore } from '../kv/index.js';
import { devAccount } from '../l1/dev-accounts.js';
import { timestampForSlot, type RollupTimeConstants } from '../protocol/epoch/time.js';
import { proposalDigest, signProposalDigest } from '../protocol/proposal-digest.js';
import { frToHex } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { randomL2Block, TestRandom } from '../types/testing/index.js';
import { AttestationPool } from '../validator/attestation-pool.js';
import { SeenProposals } from '../validator/seen-proposals.js';
import { sentinelMetrics } from './metrics.js';
import { Sentinel } from './sentinel.js';
import { slotDuties } from './slot-duties.js';
import { SentinelStats } from './stats.js';
import { SentinelStore } from './store.js';

const C: RollupTimeConstants = { genesisTime: asUnixSeconds(1_000n), slotDuration: 8n, epochDuration: 4n };
const ROLLUP: Address = '0x00000000000000000000000000000000000000aa';
const CHAIN_ID = 31337;
/** A recorded committee: four dev accounts, and who proposed which slot (as the epoch cache computed it). */
const keys = [1, 2, 3, 4].map(i => devAccount(i));
const [A, B, D, E] = keys.map(k => k.address) as [Address, Address, Address, Address];
const lower = (a: Address) => a.toLowerCase() as Address;
const proposerOf = (slot: bigint): Address => [A, B, E, D][Number(slot % 4n)]!;

describe('slotDuties', () => {
  const committee = [A, B, D, E];

  it('a mined block: the proposer mined, attesters sent on gossip and/or L1, the silent one missed', () => {
    const duties = slotDuties({
      committee,
      proposer: A,
      l1Block: { attesters: [A, B] },
      gossip: { proposers: [A], attesters: [A, D] },
    });
    expect(Object.fromEntries(duties)).toEqual({
      [lower(A)]: { status: 'block-mined' },
      [lower(B)]: { status: 'attestation-sent', l1: true },
      [lower(D)]: { status: 'attestation-sent', gossip: true },
      [lower(E)]: { status: 'attestation-missed' },
    });
  });

  it('a proposal seen on gossip but not on L1 is proposed; no proposal at all is missed and nobody owed an attestation', () => {
    const proposed = slotDuties({ committee, proposer: B, gossip: { proposers: [B], attesters: [] } });
    expect(proposed.get(lower(B))).toEqual({ status: 'block-proposed' });
    expect([...proposed.values()].filter(d => d.status === 'attestation-missed')).toHaveLength(3);
    // Attestations for the slot show a proposal was made even when the proposal itself was not seen.
    const attested = slotDuties({ committee, proposer: B, gossip: { proposers: [], attesters: [D] } });
    expect(attested.get(lower(B))).toEqual({ status: 'block-proposed' });
    const missed = slotDuties({ committee, proposer: B, gossip: { proposers: [], attesters: [] } });
    expect(Object.fromEntries(missed)).toEqual({ [lower(B)]: { status: 'block-missed' } });
  });

  it('a slot not watched on gossip: L1 alone says mined or missed, and only who it included attested', () => {
    const mined = slotDuties({ committee, proposer: A, l1Block: { attesters: [A, B, D] } });
    expect(Object.fromEntries(mined)).toEqual({
      [lower(A)]: { status: 'block-mined' },
      [lower(B)]: { status: 'attestation-sent', l1: true },
      [lower(D)]: { status: 'attestation-sent', l1: true },
    });
    expect(Object.fromEntries(slotDuties({ committee, proposer: A }))).toEqual({
      [lower(A)]: { status: 'block-missed' },
    });
    expect(slotDuties({ committee: [], proposer: undefined }).size).toBe(0);
  });
});

describe('the sentinel over LMDB', () => {
  let dir: string;
  let kv: KvStore;
  let chain: ArchiverStore;
  const rng = new TestRandom(7);
  let nowMs: number;
  let l1Head: { number: bigint; timestamp: bigint };
  let syncedL1: bigint | undefined;
  let pool: AttestationPool;
  let proposals: SeenProposals;
  let registry: Registry;
  let blockNumber: number;

  const open = async (historySlots: number) => {
    kv = await openKvStore({ dataDirectory: dir, name: 'node' });
    chain = new ArchiverStore(kv);
    return new SentinelStore(kv, historySlots);
  };
  const atSlot = (slot: bigint, intoSlotS = 1n) => {
    nowMs = Number(timestampForSlot(asSlot(slot), C) + intoSlotS) * 1000;
    // L1 keeps up, and the archiver has synced its head.
    l1Head = { number: l1Head.number + 1n, timestamp: BigInt(nowMs / 1000) };
    syncedL1 = l1Head.number;
  };
  const sentinel = (store: SentinelStore, opts: { gossip?: boolean; own?: Address[] } = {}) =>
    new Sentinel(
      {
        store,
        chain,
        epochs: {
          getCommittee: () => Promise.resolve({ committee: [A, B, D, E] }),
          getProposerAttester: slot => Promise.resolve(proposerOf(slot)),
        },
        constants: C,
        clock: { nowMs: () => nowMs, latestBlock: () => l1Head },
        archiverSyncedL1: () => syncedL1,
        gossip:
          opts.gossip === false
            ? undefined
            : { proposersAt: s => proposals.proposersAt(s), attestersAt: s => pool.attestersAt(s) },
        l1ChainId: CHAIN_ID,
        rollup: ROLLUP,
        ownValidators: opts.own ?? [],
        metrics: sentinelMetrics(registry),
      },
      { intervalMs: 3_600_000 },
    );

  /** A block for `slot` on L1, signed by `signers` (real signatures over its proposal digest). */
  async function mine(slot: bigint, signers: number[]) {
    const block = randomL2Block(rng, 1);
    blockNumber++;
    block.header.globalVariables.blockNumber = asL2BlockNumber(blockNumber);
    block.header.globalVariables.slotNumber = asSlot(slot);
    const hash = headerHash(block.header);
    const digest = proposalDigest(CHAIN_ID, ROLLUP, frToHex(hash), frToHex(block.archive.root));
    const signatures = await Promise.all(signers.map(i => signProposalDigest(digest, keys[i]!.privateKey)));
    chain.addBlock({
      block,
      headerHash: hash,
      l1: {
        l1BlockNumber: l1Head.number,
        l1BlockHash: `0x${'ab'.repeat(32)}`,
        l1TxHash: `0x${'cd'.repeat(32)}`,
        l1Timestamp: l1Head.timestamp,
        attestations: signatures.length,
        signatures,
      },
    });
    return digest;
  }
  /** What gossip showed at `slot`: the proposal and the attestations of `attesters`. */
  function gossip(slot: bigint, digest: `0x${string}`, attesters: number[]) {
    proposals.add(slot, proposerOf(slot), digest);
    for (const i of attesters) pool.add(slot, digest, keys[i]!.address, { v: 27, r: '0x00', s: '0x00' });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sentinel-test-'));
    pool = new AttestationPool();
    proposals = new SeenProposals();
    registry = new Registry();
    blockNumber = 0;
    l1Head = { number: 100n, timestamp: 0n };
  });
  afterEach(async () => {
    await kv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles each slot two slots later from L1 and gossip, and serves the stats', async () => {
    const store = await open(100);
    atSlot(10n);
    const s = sentinel(store, { own: [E] });
    s.start(); // slots after 10 are watched
    await s.stop();
    // Slot 11 (proposer D): mined with A, B, D on L1; gossip also showed A's and B's attestations. E silent.
    const d11 = await mine(11n, [0, 1, 2]);
    gossip(11n, d11, [0, 1, 2]);
    // Slot 12 (proposer A): nothing at all.
    // Slot 13 (proposer B): proposed on gossip, attested by A and D, no block on L1.
    gossip(13n, `0x${'13'.repeat(32)}`, [0, 2]);
    atSlot(13n);
    await s.runOnce();
    expect(store.getLastProcessedSlot()).toBe(11n); // 12 and 13 are not two slots old yet
    atSlot(16n);
    await s.runOnce();
    expect(store.getLastProcessedSlot()).toBe(14n);

    const stats = new SentinelStats(store, C).validatorsStats();
    expect(stats).toMatchObject({ lastProcessedSlot: '14', initialSlot: '11', fromSlot: '11', toSlot: '14' });
    expect(stats.slotWindow).toBe(100);
    const of = (a: Address) => stats.stats[a]!;
    expect(of(D).history).toEqual([
      { slot: '11', status: 'block-mined' },
      { slot: '13', status: 'attestation-sent' },
    ]);
    expect(of(D).lastProposal).toEqual({
      slot: '11',
      timestamp: String(1_000 + 11 * 8),
      date: new Date((1_000 + 11 * 8) * 1000).toISOString(),
    });
    expect(of(A).history.map(h => h.status)).toEqual(['attestation-sent', 'block-missed', 'attestation-sent']);
    expect(of(A).missedProposals).toEqual({ currentStreak: 1, rate: 1, count: 1, total: 1 });
    expect(of(A).attestations).toEqual({ sent: 2, seenOnGossip: 2, includedOnL1: 1 });
    expect(of(B).proposals).toEqual({ mined: 0, proposed: 1 });
    expect(of(E).history).toEqual([
      { slot: '11', status: 'attestation-missed' },
      { slot: '13', status: 'attestation-missed' },
      { slot: '14', status: 'block-missed' },
    ]);
    expect(of(E).missedProposals).toEqual({ currentStreak: 1, rate: 1, count: 1, total: 1 });
    expect(of(E).missedAttestations).toEqual({ currentStreak: 2, rate: 1, count: 2, total: 2 });
    expect(of(E).lastAttestation).toBeUndefined();
    // Slot 14 (proposer E) had nothing: E missed it, and nobody owed an attestation.
    expect(of(D).missedProposals).toEqual({ currentStreak: 0, rate: 0, count: 0, total: 1 });
    const single = new SentinelStats(store, C).validatorStats(E, 12n, 20n)!;
    expect(single).toMatchObject({ fromSlot: '12', toSlot: '14' });
    expect(single.validator.history).toEqual([
      { slot: '13', status: 'attestation-missed' },
      { slot: '14', status: 'block-missed' },
    ]);
    expect(single.epochs).toEqual([
      { epoch: '3', proposals: { made: 0, missed: 1 }, attestations: { sent: 0, missed: 1 } },
    ]);
    expect(new SentinelStats(store, C).validatorStats('0x00000000000000000000000000000000000000ff')).toBeUndefined();

    // Our own validator E's misses are counted on /metrics.
    const missed = await registry.getSingleMetric('aztec_sentinel_missed_duties_total')!.get();
    expect(missed.values).toEqual([
      { labels: { validator: E, duty: 'attestation' }, value: 2 },
      { labels: { validator: E, duty: 'proposal' }, value: 1 },
    ]);
  });

  it('waits for the archiver to sync L1 past a slot before settling it', async () => {
    const store = await open(100);
    atSlot(4n);
    const s = sentinel(store);
    s.start();
    await s.stop();
    atSlot(9n);
    syncedL1 = l1Head.number - 1n; // the archiver is one L1 block behind: nothing dated past slot 5's end yet
    await s.runOnce();
    expect(store.getLastProcessedSlot()).toBeUndefined();
    syncedL1 = l1Head.number;
    await s.runOnce();
    expect(store.getLastProcessedSlot()).toBe(7n);
  });

  it('keeps its window across a restart, settles the slots it slept through from L1 alone, and drops old slots', async () => {
    let store = await open(8);
    atSlot(0n);
    let s = sentinel(store);
    s.start();
    await s.stop();
    gossip(1n, `0x${'01'.repeat(32)}`, []); // slot 1 (proposer B) proposed, nobody attested
    atSlot(4n);
    await s.runOnce();
    expect(store.getLastProcessedSlot()).toBe(2n);
    await kv.close();

    // Down for slots 3..12; on restart at slot 13, 3..13 were not watched: L1 alone. Block in slot 10 (proposer E)
    // signed by A and E.
    store = await open(8);
    expect(store.getLastProcessedSlot()).toBe(2n);
    atSlot(10n);
    await mine(10n, [0, 3]);
    atSlot(13n);
    s = sentinel(store);
    s.start();
    await s.stop();
    atSlot(16n);
    await s.runOnce();
    expect(store.getLastProcessedSlot()).toBe(14n);
    const stats = new SentinelStats(store, C).validatorsStats();
    // The window is 8 slots: 7..14 (the earlier ones were dropped, slot 1's proposal too).
    expect(stats).toMatchObject({ initialSlot: '7', fromSlot: '7', toSlot: '14', slotWindow: 8 });
    expect(stats.stats[E]!.history).toEqual([
      { slot: '10', status: 'block-mined' },
      { slot: '14', status: 'block-missed' },
    ]);
    expect(stats.stats[D]!.history).toEqual([
      { slot: '7', status: 'block-missed' },
      { slot: '11', status: 'block-missed' },
    ]);
    expect(stats.stats[A]!.history).toEqual([
      { slot: '8', status: 'block-missed' },
      { slot: '10', status: 'attestation-sent' },
      { slot: '12', status: 'block-missed' },
    ]);
    // Nobody is blamed for attestations in slots nobody watched (B and D were not on L1 in slot 10); slot 14 was
    // watched but had no proposal, so only its proposer missed.
    expect(
      Object.values(stats.stats)
        .flatMap(v => v.history)
        .filter(h => h.status === 'attestation-missed'),
    ).toEqual([]);
  });
});
