import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import type { Address, Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

import { KeystoreError } from './load.js';
import { KeystoreFileSchema, type KeySource, type KeystoreFile, type ValidatorEntry } from './schema.js';

/** scrypt cost of new JSON V3 files: the usual 2^17 unless a lower one is asked for (tests, development). */
export const DEFAULT_SCRYPT_N = 131072;

/** Encrypts a private key as a JSON V3 key file's text (scrypt, AES-128-CTR: ethers' implementation). */
export async function encryptKey(privateKey: Hex, password: string, scryptN = DEFAULT_SCRYPT_N): Promise<string> {
  const { encryptKeystoreJson } = await import('ethers/wallet');
  return encryptKeystoreJson({ address: privateKeyToAddress(privateKey), privateKey }, password, {
    scrypt: { N: scryptN },
  });
}

/** How new keys are stored: inline, or as encrypted files in `keysDir` sharing one password file. */
export type KeyStorage =
  { kind: 'inline' } | { kind: 'encrypted'; keysDir: string; passwordFile: string; password: string; scryptN?: number };

/** Stores one key as `storage` says; returns what the keystore entry holds (paths relative to `keystoreFile`). */
export async function storeKey(privateKey: Hex, storage: KeyStorage, keystoreFile: string): Promise<KeySource> {
  if (storage.kind === 'inline') return privateKey;
  mkdirSync(storage.keysDir, { recursive: true });
  const address = privateKeyToAddress(privateKey);
  const path = join(storage.keysDir, `${address.toLowerCase()}.json`);
  writeFileSync(path, await encryptKey(privateKey, storage.password, storage.scryptN), { mode: 0o600 });
  const base = dirname(keystoreFile);
  return { path: relative(base, path), passwordFile: relative(base, storage.passwordFile) };
}

/** A new validator entry's keys and addresses. */
export interface NewValidator {
  attesterPrivateKey: Hex;
  publisherPrivateKeys?: Hex[];
  coinbase?: Address;
  feeRecipient?: Hex;
}

/**
 * Writes `validators` to the keystore `file`: a new file (refused if it exists) or, with `extend`, appended to the
 * one there. Keys are stored as `storage` says. The file is written with mode 0600.
 */
export async function writeKeystore(
  file: string,
  validators: readonly NewValidator[],
  storage: KeyStorage,
  opts: { extend: boolean },
): Promise<void> {
  let keystore: KeystoreFile = { schemaVersion: 1, validators: [] };
  if (opts.extend) {
    if (!existsSync(file)) throw new KeystoreError(file, undefined, undefined, 'no such file to add to (use new)');
    const parsed = KeystoreFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new KeystoreError(file, undefined, undefined, 'not a keystore to add to');
    keystore = JSON.parse(readFileSync(file, 'utf8')) as KeystoreFile;
  } else if (existsSync(file)) {
    throw new KeystoreError(file, undefined, undefined, 'already exists (use add to extend it)');
  }
  if (storage.kind === 'encrypted' && !existsSync(storage.passwordFile)) {
    mkdirSync(dirname(storage.passwordFile), { recursive: true });
    writeFileSync(storage.passwordFile, `${storage.password}\n`, { mode: 0o600 });
  }
  // A key shared by several entries (one publisher for many validators) is encrypted once.
  const stored = new Map<Hex, KeySource>();
  const store = async (key: Hex): Promise<KeySource> => {
    const known = stored.get(key) ?? (await storeKey(key, storage, file));
    stored.set(key, known);
    return known;
  };
  for (const v of validators) {
    const entry: ValidatorEntry = { attester: await store(v.attesterPrivateKey) };
    const publishers = [];
    for (const k of v.publisherPrivateKeys ?? []) publishers.push(await store(k));
    if (publishers.length === 1) entry.publisher = publishers[0]!;
    else if (publishers.length > 1) entry.publisher = publishers;
    if (v.coinbase !== undefined) entry.coinbase = v.coinbase;
    if (v.feeRecipient !== undefined) entry.feeRecipient = v.feeRecipient;
    keystore.validators.push(entry);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keystore, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}
