import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getAddress } from 'viem';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { devAccount } from '../../l1/dev-accounts.js';
import { KeystoreError, encryptKey, loadKeystore, writeKeystore } from './index.js';

const MNEMONIC = 'test test test test test test test test test test test junk';
/** Anvil's accounts 0..2, which its test mnemonic derives. */
const ANVIL = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
];
const FAST = 1024; // scrypt N for tests

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keystore-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, json: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

async function errorOf(p: Promise<unknown>): Promise<KeystoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeystoreError);
  return err as KeystoreError;
}

describe('loadKeystore', () => {
  it('derives attesters and publishers from a mnemonic at the known addresses', async () => {
    const file = write('ks.json', {
      schemaVersion: 1,
      validators: [
        {
          attester: { mnemonic: MNEMONIC, addressIndex: 0, addressCount: 2 },
          publisher: { mnemonic: MNEMONIC, addressIndex: 2 },
        },
      ],
    });
    const vs = await loadKeystore(file);
    expect(vs.map(v => v.attester)).toEqual([ANVIL[0], ANVIL[1]]);
    expect(vs[0]!.attesterPrivateKey).toBe(devAccount(0).privateKey);
    expect(vs[1]!.publisherPrivateKeys).toEqual([devAccount(2).privateKey]);
    expect(vs[0]!.origin).toBe(`${file} validators[0]`);
  });

  it('reads inline keys, coinbase and fee recipient, and several publishers', async () => {
    const coinbase = '0x000000000000000000000000000000000000c0de';
    const feeRecipient = `0x${'00'.repeat(31)}01`;
    const file = write('ks.json', {
      schemaVersion: 1,
      validators: [
        {
          attester: devAccount(3).privateKey,
          publisher: [devAccount(4).privateKey, devAccount(5).privateKey],
          coinbase,
          feeRecipient,
        },
      ],
    });
    const [v] = await loadKeystore(file);
    expect(v!.attester).toBe(devAccount(3).address);
    expect(v!.publisherPrivateKeys).toEqual([devAccount(4).privateKey, devAccount(5).privateKey]);
    expect(v!.coinbase).toBe(getAddress(coinbase));
    expect(v!.feeRecipient).toBe(feeRecipient);
  });

  it('round-trips a key through an encrypted JSON V3 file and its password file', async () => {
    const key = devAccount(6).privateKey;
    const json = await encryptKey(key, 'correct horse', FAST);
    expect(json).not.toContain(key.slice(2));
    expect(JSON.parse(json)).toMatchObject({ version: 3 });
    expect(json).toContain('"kdf":"scrypt"');
    write('a.json', json);
    write('a.pass', 'correct horse\n');
    const file = write('ks.json', {
      schemaVersion: 1,
      validators: [{ attester: { path: 'a.json', passwordFile: 'a.pass' } }],
    });
    const [v] = await loadKeystore(file);
    expect(v!.attesterPrivateKey).toBe(key);
    expect(v!.attester).toBe(devAccount(6).address);
  });

  it('names the file, entry and field of a wrong password', async () => {
    write('a.json', await encryptKey(devAccount(6).privateKey, 'right', FAST));
    write('a.pass', 'wrong\n');
    const file = write('ks.json', {
      schemaVersion: 1,
      validators: [{ attester: devAccount(1).privateKey }, { attester: { path: 'a.json', passwordFile: 'a.pass' } }],
    });
    const err = await errorOf(loadKeystore(file));
    expect(err.file).toBe(file);
    expect(err.entry).toBe('validators[1]');
    expect(err.field).toBe('attester.passwordFile');
    expect(err.message).toContain(file);
    expect(err.message).toContain('validators[1].attester.passwordFile');
    expect(err.message).toContain('wrong password');
    expect(err.message).not.toContain('wrong\n');
  });

  it('names the file, entry and field of each malformed entry, never echoing a key', async () => {
    const cases: [unknown, string | undefined, string | undefined][] = [
      [{ schemaVersion: 1, validators: [{ attester: '0x1234' }] }, 'validators[0]', 'attester'],
      [
        { schemaVersion: 1, validators: [{ attester: devAccount(1).privateKey, publisher: ['0xzz'] }] },
        'validators[0]',
        'publisher',
      ],
      [
        { schemaVersion: 1, validators: [{ attester: devAccount(1).privateKey, coinbase: '0x12' }] },
        'validators[0]',
        'coinbase',
      ],
      [
        { schemaVersion: 1, validators: [{ attester: devAccount(1).privateKey, extra: 1 }] },
        'validators[0]',
        undefined,
      ],
      [{ schemaVersion: 2, validators: [] }, 'schemaVersion', undefined],
      [
        { schemaVersion: 1, validators: [{ attester: { mnemonic: 'not a mnemonic at all' } }] },
        'validators[0]',
        'attester.mnemonic',
      ],
      [
        { schemaVersion: 1, validators: [{ attester: { path: 'missing.json', passwordFile: 'x' } }] },
        'validators[0]',
        'attester.path',
      ],
      [
        {
          schemaVersion: 1,
          validators: [{ attester: devAccount(1).privateKey }, { attester: devAccount(1).privateKey }],
        },
        'validators[1]',
        'attester',
      ],
    ];
    for (const [json, entry, field] of cases) {
      const file = write('ks.json', json);
      const err = await errorOf(loadKeystore(file));
      expect(err.file, JSON.stringify(json)).toBe(file);
      expect(err.entry, JSON.stringify(json)).toBe(entry);
      if (field === undefined) expect(err.field).toBeUndefined();
      else expect(err.field, JSON.stringify(json)).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}`));
      expect(err.message).not.toContain(devAccount(1).privateKey.slice(2));
    }
    const bad = write('bad.json', '{ not json');
    expect((await errorOf(loadKeystore(bad))).message).toContain('not valid JSON');
    expect((await errorOf(loadKeystore(join(dir, 'nope.json')))).message).toContain('KEY_STORE_DIRECTORY');
  });

  it('reads every keystore of a folder, skipping the key files in it', async () => {
    write('a.json', { schemaVersion: 1, validators: [{ attester: devAccount(1).privateKey }] });
    write('b.json', { schemaVersion: 1, validators: [{ attester: devAccount(2).privateKey }] });
    write('key.json', await encryptKey(devAccount(3).privateKey, 'p', FAST));
    const vs = await loadKeystore(dir);
    expect(vs.map(v => v.attester)).toEqual([devAccount(1).address, devAccount(2).address]);
  });
});

describe('writeKeystore', () => {
  it('writes encrypted keys by default-style storage and extends the file, which loads back', async () => {
    const file = join(dir, 'ks.json');
    const storage = {
      kind: 'encrypted' as const,
      keysDir: join(dir, 'keys'),
      passwordFile: join(dir, 'keys', 'password'),
      password: 'pw',
      scryptN: FAST,
    };
    await writeKeystore(file, [{ attesterPrivateKey: devAccount(1).privateKey }], storage, { extend: false });
    await expect(
      writeKeystore(file, [{ attesterPrivateKey: devAccount(2).privateKey }], storage, { extend: false }),
    ).rejects.toThrow(/already exists/);
    await writeKeystore(
      file,
      [{ attesterPrivateKey: devAccount(2).privateKey, publisherPrivateKeys: [devAccount(3).privateKey] }],
      storage,
      { extend: true },
    );
    const text = readFileSync(file, 'utf8');
    for (const i of [1, 2, 3]) expect(text).not.toContain(devAccount(i).privateKey.slice(2));
    const vs = await loadKeystore(file);
    expect(vs.map(v => v.attester)).toEqual([devAccount(1).address, devAccount(2).address]);
    expect(vs[1]!.publisherPrivateKeys).toEqual([devAccount(3).privateKey]);
  });
});
