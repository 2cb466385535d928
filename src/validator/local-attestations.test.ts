import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { openKvStore, type KvStore } from '../kv/index.js';
import { proposalDigest, recoverAttester } from '../protocol/proposal-digest.js';
import { buildBlock } from '../protocol/block/index.js';
import type { BuiltBlock } from '../protocol/block/index.js';
import { MemoryWorldState, TEST_CHAIN_ID, TEST_PORTAL, testGlobals } from '../protocol/testing/index.js';
import { frToHex } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { LocalAttestations } from './local-attestations.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from './slashing-protection.js';

const ROLLUP: Address = '0x00000000000000000000000000000000000a11ce';
const L1 = { l1ChainId: Number(TEST_CHAIN_ID), rollup: ROLLUP };
const ROOT = chainIdentityRoot(TEST_CHAIN_ID, ROLLUP);

let stores: KvStore[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(stores.map(s => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  stores = [];
  dirs = [];
});

/** Block 1 at `slot`; `timestamp` tells two otherwise equal proposals apart. */
async function block(slot: bigint, timestamp = 1_700_000_000n): Promise<BuiltBlock> {
  const fork = new MemoryWorldState().fork();
  const globals = testGlobals(1n, { slotNumber: asSlot(slot), timestamp: asUnixSeconds(timestamp) });
  const built = await buildBlock({
    fork,
    txs: [],
    globals,
    l1ToL2Messages: [],
    l1ChainId: TEST_CHAIN_ID,
    feeJuicePortal: TEST_PORTAL,
  });
  fork.discard();
  return { ...built, failed: [] };
}

const digestOf = (b: BuiltBlock) =>
  proposalDigest(L1.l1ChainId, ROLLUP, frToHex(headerHash(b.block.header)), frToHex(b.block.archive.root));

/** `LocalAttestations` of `key` on the node store of `dir`, as the node builds it on each start. */
async function startOn(dir: string, key: `0x${string}`) {
  const store = await openKvStore({ dataDirectory: dir, name: 'node' });
  stores.push(store);
  const protection = new SlashingProtection(store, ROOT);
  return { store, protection, local: new LocalAttestations([new ProtectedSigner(key, protection)], L1) };
}

describe('LocalAttestations', () => {
  it('attests through slashing protection: after a restart, no second attestation for a slot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-attestations-'));
    dirs.push(dir);
    const key = generatePrivateKey();
    const me = privateKeyToAddress(key);
    const committee = [me];
    const [a, b] = [await block(7n), await block(7n, 1_700_000_001n)];
    expect(digestOf(a)).not.toBe(digestOf(b));

    const first = await startOn(dir, key);
    const signed = await first.local.collect({ built: a, committee, quorum: 1 });
    if (!('attestations' in signed)) throw new Error(signed.reason);
    expect(signed.attestations).toHaveLength(1);
    expect(await recoverAttester(digestOf(a), signed.attestations[0]!)).toBe(me);
    expect(first.protection.get('attestation', me, 7n)).toBe(digestOf(a));
    await first.store.close();
    stores = [];

    // Restart on the same data directory: a different block for slot 7 gets no signature, the same one does.
    const second = await startOn(dir, key);
    const refused = await second.local.collect({ built: b, committee, quorum: 1 });
    expect(refused).toEqual({ reason: expect.stringContaining('slashing protection') as unknown });
    expect(refused).toEqual({ reason: expect.stringContaining('slot 7') as unknown });
    expect(await second.local.collect({ built: a, committee, quorum: 1 })).toEqual(signed);
    expect(second.protection.get('attestation', me, 7n)).toBe(digestOf(a));
    // The next slot is free.
    const next = await second.local.collect({ built: await block(8n), committee, quorum: 1 });
    expect('attestations' in next).toBe(true);
  });

  it('signs nothing when it cannot reach the quorum alone or the committee is empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-attestations-'));
    dirs.push(dir);
    const key = generatePrivateKey();
    const me = privateKeyToAddress(key);
    const other = privateKeyToAddress(generatePrivateKey());
    const { local, protection } = await startOn(dir, key);
    const built = await block(3n);
    expect(await local.collect({ built, committee: [], quorum: 0 })).toEqual({ attestations: [] });
    expect(await local.collect({ built, committee: [other], quorum: 1 })).toEqual({
      reason:
        "not enough attestations: 0 of 1 committee members available, 1 needed (other members' attestations need P2P)",
    });
    expect(await local.collect({ built, committee: [me, other], quorum: 2 })).toEqual({
      reason: expect.stringContaining('1 of 2 committee members available') as unknown,
    });
    expect(protection.get('attestation', me, 3n)).toBeUndefined();
  });

  it('signs with each of its attesters in the committee, once each, in committee order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-attestations-'));
    dirs.push(dir);
    const keys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const [a, b, c] = keys.map(k => privateKeyToAddress(k)) as [Address, Address, Address];
    const outsider = privateKeyToAddress(generatePrivateKey());
    const store = await openKvStore({ dataDirectory: dir, name: 'node' });
    stores.push(store);
    const protection = new SlashingProtection(store, ROOT);
    // Given in another order than the committee's; one of ours (c) is not in it.
    const local = new LocalAttestations(
      [keys[2]!, keys[1]!, keys[0]!].map(k => new ProtectedSigner(k, protection)),
      L1,
    );
    const built = await block(4n);
    const committee = [outsider, b, a];
    const signed = await local.collect({ built, committee, quorum: 2 });
    if (!('attestations' in signed)) throw new Error(signed.reason);
    const signers = await Promise.all(signed.attestations.map(s => recoverAttester(digestOf(built), s)));
    expect(signers).toEqual([b, a]);
    for (const x of [a, b]) expect(protection.get('attestation', x, 4n)).toBe(digestOf(built));
    expect(protection.get('attestation', c, 4n)).toBeUndefined();
    const short = await local.collect({ built, committee, quorum: 3 });
    expect('reason' in short && short.reason).toMatch('2 of 3 committee members available, 3 needed');
  });

  it('leaves out a key doppelganger protection holds: a quorum needs the others', async () => {
    const store = await openKvStore({ name: 'node' });
    stores.push(store);
    const protection = new SlashingProtection(store, ROOT);
    const keys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const [held, ...free] = keys.map(k => privateKeyToAddress(k)) as [Address, Address, Address];
    const gate = { refusal: (a: Address) => (a === held ? `doppelganger protection: ${held} is held` : undefined) };
    const local = new LocalAttestations(
      keys.map(k => new ProtectedSigner(k, protection, { gate: gate })),
      L1,
    );
    const built = await block(3n);
    const committee = [held, ...free];
    const got = await local.collect({ built, committee, quorum: 2 });
    if ('reason' in got) throw new Error(got.reason);
    expect(await Promise.all(got.attestations.map(a => recoverAttester(digestOf(built), a)))).toEqual(free);
    expect(protection.get('attestation', held, 3n)).toBeUndefined();
    const short = await local.collect({ built, committee, quorum: 3 });
    expect('reason' in short && short.reason).toMatch('2 of 3 committee members available, 3 needed');
  });
});
