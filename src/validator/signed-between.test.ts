import { keccak256, toHex, type Hex } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';

import { openKvStore, type KvStore } from '../kv/index.js';
import { chainIdentityRoot, SlashingProtection } from './slashing-protection.js';

const ROOT = chainIdentityRoot(31337, '0x00000000000000000000000000000000000a11ce');
const digest = (n: number): Hex => keccak256(toHex(n));
const ME = '0x00000000000000000000000000000000000000aA';
const OTHER = '0x00000000000000000000000000000000000000bb';

let store: KvStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('SlashingProtection.signedBetween', () => {
  it("returns one signer's records in the slot window, both ends included, by kind and slot", async () => {
    store = await openKvStore({ name: 'validator' });
    const p = new SlashingProtection(store, ROOT);
    for (const slot of [2n, 9n, 10n, 100n]) p.checkAndRecord('attestation', ME, slot, digest(Number(slot)));
    p.checkAndRecord('block', ME, 10n, digest(1010));
    p.checkAndRecord('block', OTHER, 10n, digest(2010));
    p.checkAndRecord('attestation', OTHER, 9n, digest(2009));
    // Slot keys are zero-padded decimals: 100 sorts after 10 and 9, not between them.
    expect(p.signedBetween(ME.toLowerCase() as Hex, 9n, 99n)).toEqual([
      { kind: 'block', slot: 10n, digest: digest(1010) },
      { kind: 'attestation', slot: 9n, digest: digest(9) },
      { kind: 'attestation', slot: 10n, digest: digest(10) },
    ]);
    expect(p.signedBetween(ME, 100n, 100n)).toEqual([{ kind: 'attestation', slot: 100n, digest: digest(100) }]);
    expect(p.signedBetween(ME, 11n, 99n)).toEqual([]);
  });
});
