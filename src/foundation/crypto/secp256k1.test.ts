import { createHash } from 'node:crypto';

import { sign, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';

import { hasNativeSecp256k1, recoverPublicKeyJsPath, recoverUncompressedPublicKey } from './secp256k1.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

const hex32 = (n: bigint) => n.toString(16).padStart(64, '0');
const hashOf = (i: number) => createHash('sha256').update(`message ${i}`).digest();

function signature(r: bigint, s: bigint, v: number): Buffer {
  return Buffer.concat([Buffer.from(hex32(r) + hex32(s), 'hex'), Buffer.of(v)]);
}

/** The outcome of a recovery: the key as hex, or that it threw. */
async function outcome(f: () => Promise<Uint8Array>): Promise<string> {
  try {
    return Buffer.from(await f()).toString('hex');
  } catch {
    return 'throws';
  }
}

describe('secp256k1 public key recovery', () => {
  it('loads the native binding here (the block builder relies on it for its rate)', () => {
    expect(hasNativeSecp256k1()).toBe(true);
  });

  it('recovers the signer of signatures made by viem, with v = 27/28 and the bare recovery bit', async () => {
    for (let i = 1; i <= 20; i++) {
      const key = `0x${hex32(BigInt(i) * 0x1234567890abcdefn + 7n)}` as const;
      const hash = hashOf(i);
      const sig = Buffer.from(await sign({ hash: `0x${hash.toString('hex')}`, privateKey: key, to: 'bytes' }));
      const expected = privateKeyToAccount(key).publicKey.slice(2);
      expect(Buffer.from(await recoverUncompressedPublicKey(hash, sig)).toString('hex')).toBe(expected);
      const bare = Buffer.from(sig);
      bare[64] = sig[64]! - 27;
      expect(Buffer.from(await recoverUncompressedPublicKey(hash, bare)).toString('hex')).toBe(expected);
    }
  });

  it('agrees with viem on valid, high-s, out-of-range and off-curve signatures', async () => {
    const key = `0x${'42'.repeat(32)}` as const;
    const hash = hashOf(0);
    const good = Buffer.from(await sign({ hash: `0x${hash.toString('hex')}`, privateKey: key, to: 'bytes' }));
    const r = BigInt(`0x${good.subarray(0, 32).toString('hex')}`);
    const s = BigInt(`0x${good.subarray(32, 64).toString('hex')}`);
    const v = good[64]!;
    const cases: [string, Buffer][] = [
      ['valid', good],
      ['other recovery id', signature(r, s, 55 - v)],
      ['high s, flipped v', signature(r, N - s, 55 - v)],
      ['high s, same v', signature(r, N - s, v)],
      ['r = 0', signature(0n, s, v)],
      ['s = 0', signature(r, 0n, v)],
      ['r = n', signature(N, s, v)],
      ['s = n', signature(r, N, v)],
      ['r = p - 1 (off the curve or not)', signature(P - 1n, s, v)],
      ['r = 5 (not an x on the curve)', signature(5n, s, v)],
      ['v = 29', signature(r, s, 29)],
      ['all ones', Buffer.alloc(65, 0xff)],
    ];
    for (let i = 1; i <= 30; i++)
      cases.push([`random ${i}`, Buffer.concat([hashOf(1000 + i), hashOf(2000 + i), Buffer.of(27 + (i % 2))])]);
    for (const [what, sig] of cases) {
      const native = await outcome(() => recoverUncompressedPublicKey(hash, sig));
      const js = await outcome(() => recoverPublicKeyJsPath(hash, sig));
      expect(native, what).toBe(js);
    }
    expect(await outcome(() => recoverUncompressedPublicKey(hash, signature(r, N - s, 55 - v)))).toBe(
      privateKeyToAccount(key).publicKey.slice(2),
    );
  });

  it('refuses a signature that is not 65 bytes or a hash that is not 32', async () => {
    const hash = hashOf(3);
    await expect(recoverUncompressedPublicKey(hash, Buffer.alloc(64, 1))).rejects.toThrow(/65 bytes/);
    await expect(recoverUncompressedPublicKey(hash.subarray(1), Buffer.alloc(65, 27))).rejects.toThrow(/32-byte/);
  });
});
