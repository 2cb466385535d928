import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { getAddress, toHex, type Address, type Hex } from 'viem';
import { mnemonicToAccount, privateKeyToAddress } from 'viem/accounts';
import type { z } from 'zod';

import { NodeError } from '../../foundation/errors/index.js';
import { KeystoreFileSchema } from './schema.js';

/**
 * A keystore that could not be read: the message names the file, the entry (`validators[2]`) and the field
 * (`publisher[1].passwordFile`), never a key or a password.
 */
export class KeystoreError extends NodeError {
  constructor(
    readonly file: string,
    readonly entry: string | undefined,
    readonly field: string | undefined,
    why: string,
  ) {
    const where = [entry, field].filter(x => x !== undefined).join('.');
    super('BAD_KEYSTORE', `Keystore ${file}${where ? `, ${where}` : ''}: ${why}`, { file, entry, field });
  }
}

/** One validator of a keystore, its keys resolved. Field names end in `PrivateKey(s)` so the logger redacts them. */
export interface KeystoreValidator {
  attester: Address;
  attesterPrivateKey: Hex;
  /** In the keystore's order; empty when the entry names none (the attester key publishes). */
  publisherPrivateKeys: Hex[];
  coinbase?: Address;
  feeRecipient?: Hex;
  /** Where it was declared: `keystore.json validators[0]`. */
  origin: string;
}

type ParsedFile = z.output<typeof KeystoreFileSchema>;

/** The keystore files of `path`: the file itself, or the keystores (JSON files with `validators`) in a folder. */
function keystoreFiles(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new KeystoreError(path, undefined, undefined, 'no such file or folder (KEY_STORE_DIRECTORY, --keystore)');
  }
  if (!isDir) return [path];
  const files = readdirSync(path)
    .filter(f => f.endsWith('.json'))
    .sort()
    .map(f => join(path, f))
    .filter(f => {
      try {
        const json: unknown = JSON.parse(readFileSync(f, 'utf8'));
        return typeof json === 'object' && json !== null && 'validators' in json;
      } catch {
        return false;
      }
    });
  if (files.length === 0) throw new KeystoreError(path, undefined, undefined, 'no keystore (*.json with validators)');
  return files;
}

function parseFile(file: string): ParsedFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `not valid JSON (${err.message})` : 'cannot be read';
    throw new KeystoreError(file, undefined, undefined, why);
  }
  const parsed = KeystoreFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [top, index, ...rest] = issue.path.map(String);
  const entry = top === 'validators' && index !== undefined ? `validators[${index}]` : top;
  const field = rest.length > 0 ? rest.map(p => (/^\d+$/.test(p) ? `[${p}]` : p)).join('.') : undefined;
  const why =
    issue.code === 'invalid_union'
      ? 'expected a 0x private key, { "path", "passwordFile" } of an encrypted JSON V3 file, or { "mnemonic", ' +
        '"addressIndex", "addressCount" }'
      : issue.message;
  throw new KeystoreError(file, entry, field?.replace(/\.\[/g, '['), why);
}

/** Reads a JSON V3 file's password: inline, or the first line of a password file (relative to the keystore). */
function passwordOf(src: { passwordFile?: string | undefined; password?: string | undefined }, base: string): string {
  if (src.password !== undefined) return src.password;
  if (src.passwordFile === undefined) return '';
  return readFileSync(resolve(base, src.passwordFile), 'utf8').split(/\r?\n/)[0] ?? '';
}

/** The private keys of one key source (a mnemonic gives `addressCount`). `fail(field, why)` throws for the field. */
async function keysOf(
  src: ParsedFile['validators'][number]['attester'],
  base: string,
  fail: (why: string, sub?: string) => never,
  /** Keys already decrypted in this load (a publisher shared by many validators is decrypted once). */
  decrypted: Map<string, Hex>,
): Promise<Hex[]> {
  if (typeof src === 'string') {
    try {
      privateKeyToAddress(src as Hex);
    } catch {
      fail('not a valid secp256k1 private key');
    }
    return [src.toLowerCase() as Hex];
  }
  if ('mnemonic' in src) {
    const keys: Hex[] = [];
    for (let i = 0; i < src.addressCount; i++) {
      let account;
      try {
        account = mnemonicToAccount(src.mnemonic, {
          accountIndex: src.accountIndex,
          addressIndex: src.addressIndex + i,
        });
      } catch {
        fail('not a valid BIP-39 mnemonic', 'mnemonic');
      }
      const key = account.getHdKey().privateKey;
      if (!key) fail('the mnemonic gave no private key', 'mnemonic');
      keys.push(toHex(key));
    }
    return keys;
  }
  const path = resolve(base, src.path);
  const cacheKey = `${path}\n${src.passwordFile ?? ''}\n${src.password ?? ''}`;
  const cached = decrypted.get(cacheKey);
  if (cached) return [cached];
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch {
    fail(`cannot read the key file ${path}`, 'path');
  }
  // ethers is loaded only for an encrypted key file: a node without one never loads its modules.
  const { decryptKeystoreJson, isKeystoreJson } = await import('ethers/wallet');
  if (!isKeystoreJson(json)) fail(`${path} is not an encrypted JSON V3 key file`, 'path');
  let password: string;
  try {
    password = passwordOf(src, base);
  } catch {
    fail(`cannot read the password file ${resolve(base, src.passwordFile ?? '')}`, 'passwordFile');
  }
  try {
    const account = await decryptKeystoreJson(json, password);
    decrypted.set(cacheKey, account.privateKey as Hex);
    return [account.privateKey as Hex];
  } catch (err) {
    const wrong = err instanceof Error && /password/i.test(err.message);
    fail(
      wrong ? `wrong password for ${path}` : `cannot decrypt ${path}`,
      src.passwordFile !== undefined ? 'passwordFile' : 'password',
    );
  }
}

/**
 * Reads a keystore file or folder (`--keystore`, KEY_STORE_DIRECTORY): every validator with its keys decrypted or
 * derived. Throws `KeystoreError` naming the file, the entry and the field of the first problem; the same attester
 * twice is refused too.
 */
export async function loadKeystore(path: string): Promise<KeystoreValidator[]> {
  const out: KeystoreValidator[] = [];
  const seen = new Map<string, string>();
  const decrypted = new Map<string, Hex>();
  for (const file of keystoreFiles(path)) {
    const parsed = parseFile(file);
    const base = dirname(file);
    for (const [i, v] of parsed.validators.entries()) {
      const entry = `validators[${i}]`;
      const failFor =
        (field: string) =>
        (why: string, sub?: string): never => {
          throw new KeystoreError(file, entry, sub ? `${field}.${sub}` : field, why);
        };
      const attesterKeys = await keysOf(v.attester, base, failFor('attester'), decrypted);
      const publishers = v.publisher === undefined ? [] : Array.isArray(v.publisher) ? v.publisher : [v.publisher];
      const publisherPrivateKeys: Hex[] = [];
      for (const [j, p] of publishers.entries()) {
        const field = Array.isArray(v.publisher) ? `publisher[${j}]` : 'publisher';
        publisherPrivateKeys.push(...(await keysOf(p, base, failFor(field), decrypted)));
      }
      for (const attesterPrivateKey of attesterKeys) {
        const attester = privateKeyToAddress(attesterPrivateKey);
        const before = seen.get(attester);
        if (before !== undefined) {
          throw new KeystoreError(file, entry, 'attester', `attester ${attester} is already declared in ${before}`);
        }
        const origin = `${file} ${entry}`;
        seen.set(attester, origin);
        out.push({
          attester,
          attesterPrivateKey,
          publisherPrivateKeys,
          ...(v.coinbase !== undefined ? { coinbase: getAddress(v.coinbase) } : {}),
          ...(v.feeRecipient !== undefined ? { feeRecipient: v.feeRecipient.toLowerCase() as Hex } : {}),
          origin,
        });
      }
    }
  }
  return out;
}
