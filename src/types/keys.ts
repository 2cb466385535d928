import type { Hex } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';

import { recoverUncompressedPublicKey } from '../foundation/crypto/secp256k1.js';
import { NodeError } from '../foundation/errors/index.js';
import { frToBuffer, frToHex, hashToFr, type Fr } from './fr.js';
import { SIGNATURE_LENGTH } from './limits.js';
import type { Tx, UnsignedTx } from './tx.js';
import { txHash } from './tx-codec.js';

/**
 * L2 address of a secp256k1 public key: `sha256ToField(x ‖ y)`. Takes the uncompressed key, 65 bytes with the
 * `0x04` prefix (as viem returns it) or the 64 bytes `x ‖ y`.
 */
export function l2AddressFromPublicKey(publicKey: Hex | Uint8Array): Fr {
  const b = typeof publicKey === 'string' ? Buffer.from(publicKey.replace(/^0x/, ''), 'hex') : Buffer.from(publicKey);
  if (b.length === 65 && b[0] === 4) return hashToFr(b.subarray(1));
  if (b.length === 64) return hashToFr(b);
  throw new NodeError(
    'INVALID_PUBLIC_KEY',
    `expected an uncompressed secp256k1 public key (65 or 64 bytes), got ${b.length}`,
  );
}

/** L2 address of the account with this private key (`0x` + 64 hex). */
export function l2AddressFromPrivateKey(privateKey: Hex): Fr {
  return l2AddressFromPublicKey(privateKeyToAccount(privateKey).publicKey);
}

/** Signs `tx` with `privateKey`: a plain secp256k1 signature `r‖s‖v` (v = 27/28) over the tx hash. */
export async function signTx(tx: UnsignedTx, privateKey: Hex): Promise<Tx> {
  const signature = await sign({ hash: frToHex(txHash(tx)), privateKey, to: 'bytes' });
  return { ...tx, signature: Buffer.from(signature) };
}

/**
 * L2 address of the key that signed `tx` (the tx is valid only if it equals `tx.feePayer`). Throws a `NodeError`
 * `INVALID_TX_SIGNATURE` when no key can be recovered. Recovered by libsecp256k1 where its binding loads (≈ 50 µs),
 * else by viem in JavaScript (≈ 1.4 ms).
 */
export async function recoverFeePayer(tx: Tx): Promise<Fr> {
  if (tx.signature.length !== SIGNATURE_LENGTH) {
    throw new NodeError(
      'INVALID_TX_SIGNATURE',
      `a tx signature is ${SIGNATURE_LENGTH} bytes, got ${tx.signature.length}`,
    );
  }
  try {
    const publicKey = await recoverUncompressedPublicKey(frToBuffer(txHash(tx)), tx.signature);
    return l2AddressFromPublicKey(publicKey);
  } catch (err) {
    throw new NodeError(
      'INVALID_TX_SIGNATURE',
      'the tx signature does not recover to a public key',
      {},
      { cause: err },
    );
  }
}

/** Whether `tx`'s signature recovers to its `feePayer`. */
export async function hasValidSignature(tx: Tx): Promise<boolean> {
  try {
    return (await recoverFeePayer(tx)) === tx.feePayer;
  } catch {
    return false;
  }
}
