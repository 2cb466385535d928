import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';

import { sha256ToField } from '../foundation/crypto/index.js';
import type { Fr } from './fr.js';
import { hasValidSignature, l2AddressFromPrivateKey, l2AddressFromPublicKey, recoverFeePayer, signTx } from './keys.js';
import { TestRandom, randomSignedTx, randomUnsignedTx } from './testing/index.js';
import { decodeTx, encodeTx } from './tx-codec.js';

describe('L2 keys and tx signatures', () => {
  it('derives the L2 address as sha256ToField(x ‖ y)', () => {
    const pk = new TestRandom(20).privateKey();
    const pub = privateKeyToAccount(pk).publicKey; // 0x04 ‖ x ‖ y
    const xy = Buffer.from(pub.slice(4), 'hex');
    const expected = BigInt(`0x${sha256ToField(xy).toString('hex')}`);
    expect(l2AddressFromPrivateKey(pk)).toBe(expected);
    expect(l2AddressFromPublicKey(pub)).toBe(expected);
    expect(l2AddressFromPublicKey(xy)).toBe(expected);
    expect(() => l2AddressFromPublicKey(Buffer.alloc(33))).toThrow(/uncompressed/);
  });

  it('signs over the tx hash and recovers the fee payer, also after a binary round trip', async () => {
    const rng = new TestRandom(21);
    for (let i = 0; i < 10; i++) {
      const pk = rng.privateKey();
      const tx = await randomSignedTx(rng, pk);
      expect(tx.signature.length).toBe(65);
      expect([27, 28]).toContain(tx.signature[64]);
      expect(await recoverFeePayer(tx)).toBe(l2AddressFromPrivateKey(pk));
      const decoded = decodeTx(encodeTx(tx));
      expect(await recoverFeePayer(decoded)).toBe(tx.feePayer);
      expect(await hasValidSignature(decoded)).toBe(true);
    }
  });

  it('a tampered tx recovers a different fee payer', async () => {
    const rng = new TestRandom(22);
    const pk = rng.privateKey();
    const tx = await randomSignedTx(rng, pk);
    const tampered = {
      ...tx,
      gasSettings: {
        ...tx.gasSettings,
        gasLimits: { ...tx.gasSettings.gasLimits, l2Gas: tx.gasSettings.gasLimits.l2Gas ^ 1 },
      },
    };
    const recovered = await recoverFeePayer(tampered).catch(() => undefined);
    expect(recovered).not.toBe(tx.feePayer);
    expect(await hasValidSignature(tampered)).toBe(false);
    // Signed by someone else: valid signature, wrong fee payer.
    const other = await signTx(randomUnsignedTx(rng), rng.privateKey());
    expect(await hasValidSignature({ ...other, feePayer: tx.feePayer })).toBe(false);
  });

  it('an unrecoverable signature is a NodeError', async () => {
    const tx = await randomSignedTx(new TestRandom(23), new TestRandom(24).privateKey());
    const zeroed = { ...tx, signature: Buffer.concat([Buffer.alloc(64), Buffer.of(27)]) };
    await expect(recoverFeePayer(zeroed)).rejects.toMatchObject({ code: 'INVALID_TX_SIGNATURE' });
    await expect(recoverFeePayer({ ...tx, signature: Buffer.alloc(3) })).rejects.toMatchObject({
      code: 'INVALID_TX_SIGNATURE',
    });
    expect(await hasValidSignature({ ...zeroed, feePayer: 0n as Fr })).toBe(false);
  });
});
