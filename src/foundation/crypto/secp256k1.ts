import { createRequire } from 'node:module';

import { recoverPublicKey as recoverPublicKeyJs } from 'viem';

import { createLogger } from '../log/index.js';

/** The part of the `secp256k1` package's native binding (bitcoin-core's libsecp256k1) used here. */
interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recid: number, msg32: Uint8Array, compressed: false): Uint8Array;
}

/**
 * libsecp256k1 through the `secp256k1` package's native binding (its prebuilt addon, or one built at install), or
 * `undefined` where it cannot load. The package's own entry point would silently fall back to a slow pure-JS
 * implementation; loading `bindings.js` directly lets this module fall back to viem's instead, and say so.
 */
function loadNative(): NativeSecp256k1 | undefined {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings.js') as NativeSecp256k1;
  } catch (err) {
    createLogger('crypto').warn('Native secp256k1 unavailable: tx signatures are recovered in JavaScript (slower)', {
      error: err instanceof Error ? err.message : String(err),
    });
    return undefined;
  }
}

let native: NativeSecp256k1 | undefined | null = null;

function nativeBinding(): NativeSecp256k1 | undefined {
  if (native === null) native = loadNative();
  return native;
}

/** Whether signatures are recovered natively (libsecp256k1) rather than in JavaScript. */
export function hasNativeSecp256k1(): boolean {
  return nativeBinding() !== undefined;
}

/**
 * The uncompressed public key (65 bytes, `0x04 ‖ x ‖ y`) that signed the 32-byte `hash` with the 65-byte signature
 * `r ‖ s ‖ v` (v = 27 or 28, or 0 or 1). Throws when no key can be recovered (r or s zero or not below the group order, r not
 * the x of a curve point, or the result at infinity). High-s signatures are recovered, as ECDSA recovery allows;
 * the native and JavaScript paths agree on every input (see `secp256k1.test.ts`).
 */
export async function recoverUncompressedPublicKey(hash: Uint8Array, signature: Uint8Array): Promise<Uint8Array> {
  if (hash.length !== 32) throw new Error(`expected a 32-byte hash, got ${hash.length} bytes`);
  const v = signature[64] ?? -1;
  // v as viem reads it: 27/28, or the bare recovery bit 0/1.
  const recid = v >= 27 ? v - 27 : v;
  if (signature.length !== 65 || (recid !== 0 && recid !== 1)) {
    throw new Error('expected 65 bytes r‖s‖v with v = 27 or 28 (or 0 or 1)');
  }
  const binding = nativeBinding();
  if (binding !== undefined) {
    try {
      return Buffer.from(binding.ecdsaRecover(signature.subarray(0, 64), recid, hash, false));
    } catch (err) {
      // The binding's errors ("Public key could not be recover") are terse; name what failed.
      throw new Error('the signature does not recover to a public key', { cause: err });
    }
  }
  return recoverPublicKeyJsPath(hash, signature);
}

/** viem's (noble's) recovery: the fallback, and the reference the native path is tested against. */
export async function recoverPublicKeyJsPath(hash: Uint8Array, signature: Uint8Array): Promise<Uint8Array> {
  const hex = await recoverPublicKeyJs({ hash, signature });
  return Buffer.from(hex.slice(2), 'hex');
}
