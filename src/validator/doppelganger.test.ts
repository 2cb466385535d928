import { keccak256, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { Registry } from '../foundation/metrics/index.js';
import { asUnixSeconds } from '../foundation/types/branded.js';
import { openKvStore, type KvStore } from '../kv/index.js';
import { DoppelgangerProtection, type SeenSignature, type SigningRecord } from './doppelganger.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from './slashing-protection.js';

// Real slashing protection on a real (temporary LMDB) store; the clock is a settable one, so the watch's end is
// reached by moving it, not by waiting.

const ROOT = chainIdentityRoot(31337, '0x00000000000000000000000000000000000a11ce');
const constants = { genesisTime: asUnixSeconds(1_000n), slotDuration: 8n, epochDuration: 4n };
const digest = (n: number): Hex => keccak256(toHex(n));
/** Milliseconds of L1 time in the middle of `slot`. */
const inSlot = (slot: bigint) => Number(constants.genesisTime + slot * constants.slotDuration + 4n) * 1000;

let stores: KvStore[] = [];
afterEach(async () => {
  await Promise.all(stores.map(s => s.close()));
  stores = [];
});

async function setup(epochs: number, record?: SigningRecord) {
  const store = await openKvStore({ name: 'validator' });
  stores.push(store);
  const protection = new SlashingProtection(store, ROOT);
  const clock = { now: inSlot(10n), nowMs: () => clock.now };
  const metrics = new Registry();
  const [keyA, keyB] = [generatePrivateKey(), generatePrivateKey()];
  const signerOf = (k: Hex, gate: DoppelgangerProtection) => new ProtectedSigner(k, protection, { gate: gate });
  const probe = new ProtectedSigner(keyA, protection);
  const probeB = new ProtectedSigner(keyB, protection);
  const dg = new DoppelgangerProtection(
    { epochs },
    { attesters: [probe.address, probeB.address], constants, clock, record: record ?? protection, metrics },
  );
  dg.start();
  const [a, b] = [signerOf(keyA, dg), signerOf(keyB, dg)];
  const seen = (signer: Address, slot: bigint, d: Hex, kind: SeenSignature['kind'] = 'attestation') =>
    dg.observe({ kind, signer, slot, digest: d, source: 'gossip' });
  const gaugeOf = async (name: string) => (await metrics.getSingleMetric(name)!.get()).values;
  return { protection, clock, dg, a, b, seen, gaugeOf };
}

describe('DoppelgangerProtection', () => {
  it('signs nothing for N epochs from the start slot, then signs; the watch is reported per attester', async () => {
    const { dg, clock, a, b, protection, gaugeOf } = await setup(2);
    // Started in slot 10 with 4-slot epochs: watching slots 10..17, signing from 18.
    expect(dg.signsFromSlot()).toBe(18n);
    const early = a.sign('attestation', 10n, digest(1));
    await expect(early).rejects.toMatchObject({ code: 'DOPPELGANGER' });
    await expect(early).rejects.toThrow(`watching for other signers of attester ${a.address} until slot 18`);
    // Refused before slashing protection: nothing was recorded for that slot, so it may be signed later.
    expect(protection.get('attestation', a.address, 10n)).toBeUndefined();
    expect(dg.status().attesters.map(s => s.state)).toEqual(['watching', 'watching']);
    expect((await gaugeOf('aztec_validator_doppelganger_watching'))[0]!.value).toBe(2);

    clock.now = inSlot(17n);
    expect(b.refusal()).toMatch(/until slot 18.*now slot 17/);
    clock.now = inSlot(18n);
    expect(a.refusal()).toBeUndefined();
    await expect(b.sign('attestation', 18n, digest(2))).resolves.toBeDefined();
    expect(dg.status()).toEqual({
      epochs: 2,
      watchStartSlot: 10n,
      attesters: [
        { attester: a.address, state: 'clear', signsFromSlot: 18n },
        { attester: b.address, state: 'clear', signsFromSlot: 18n },
      ],
    });
    expect((await gaugeOf('aztec_validator_doppelganger_watching'))[0]!.value).toBe(0);
  });

  it('a signature by one of its attesters that it did not make holds that attester for good; the other goes on', async () => {
    const { dg, clock, a, b, seen, gaugeOf } = await setup(1);
    await seen(a.address, 11n, digest(7));
    const found = { kind: 'attestation', slot: 11n, digest: digest(7), source: 'gossip' };
    expect(dg.status().attesters).toEqual([
      { attester: a.address, state: 'detected', signsFromSlot: 14n, detected: found },
      { attester: b.address, state: 'watching', signsFromSlot: 14n },
    ]);
    const detected = await gaugeOf('aztec_validator_doppelganger_detected');
    expect(detected.find(v => v.labels['attester'] === a.address)?.value).toBe(1);
    expect(detected.find(v => v.labels['attester'] === b.address)?.value).toBe(0);

    // Long after the watch: b signs, a never does (in this process).
    clock.now = inSlot(100n);
    await expect(b.sign('block', 100n, digest(8))).resolves.toBeDefined();
    const held = a.sign('attestation', 100n, digest(8));
    await expect(held).rejects.toMatchObject({ code: 'DOPPELGANGER' });
    await expect(held).rejects.toThrow(`attester ${a.address} is signing elsewhere (an attestation for slot 11`);
  });

  it('its own signatures (same digest in the signing record) are not a doppelganger; a different digest is', async () => {
    const { dg, clock, a, b, seen, protection } = await setup(1);
    clock.now = inSlot(20n);
    await a.sign('attestation', 20n, digest(1));
    // Gossip and L1 bring our own attestation back: the record holds it with this digest.
    await seen(a.address, 20n, digest(1));
    await dg.observe({ kind: 'attestation', signer: a.address, slot: 20n, digest: digest(1), source: 'l1' });
    expect(dg.status().attesters[0]!.state).toBe('clear');
    // Another node with the same key signed another block in that slot: not ours.
    await seen(a.address, 20n, digest(2));
    expect(dg.status().attesters[0]!.state).toBe('detected');
    // A block proposal by b that the record lacks (we signed its attestation, not a block).
    protection.checkAndRecord('attestation', b.address, 21n, digest(3));
    await dg.observe({ kind: 'block', signer: b.address, slot: 21n, digest: digest(3), source: 'l1' });
    expect(dg.status().attesters[1]).toMatchObject({ state: 'detected', detected: { kind: 'block', source: 'l1' } });
  });

  it('ignores slots before the watch started and attesters that are not ours', async () => {
    const { dg, a, seen } = await setup(1);
    await seen(a.address, 9n, digest(1));
    await seen(privateKeyToAddress(generatePrivateKey()), 12n, digest(1));
    expect(dg.status().attesters.map(s => s.state)).toEqual(['watching', 'watching']);
  });

  it('asks an asynchronous record (the HA database) the same question: a signature another of our nodes made is ours', async () => {
    const asked: string[] = [];
    const shared: SigningRecord = {
      get: (kind, signer, slot) => {
        asked.push(`${kind}:${signer}:${slot}`);
        return Promise.resolve(slot === 12n ? digest(5) : undefined);
      },
    };
    const { dg, a, seen } = await setup(1, shared);
    await seen(a.address, 12n, digest(5));
    expect(dg.status().attesters[0]!.state).toBe('watching');
    await seen(a.address, 13n, digest(5));
    expect(dg.status().attesters[0]!.state).toBe('detected');
    expect(asked).toEqual([`attestation:${a.address}:12`, `attestation:${a.address}:13`]);
  });

  it('is off with 0 epochs: signs at once, sees nothing', async () => {
    const { dg, a, seen } = await setup(0);
    await seen(a.address, 11n, digest(1));
    await expect(a.sign('attestation', 10n, digest(1))).resolves.toBeDefined();
    expect(dg.status()).toEqual({
      epochs: 0,
      attesters: [
        { attester: a.address, state: 'off' },
        { attester: dg.status().attesters[1]!.attester, state: 'off' },
      ],
    });
  });
});
