import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { devAccount } from '../../../l1/dev-accounts.js';
import { loadKeystore } from '../../../validator/keystore/index.js';
import { main } from '../../index.js';
import type { CliContext } from '../../types.js';

const MNEMONIC = 'test test test test test test test test test test test junk';

async function aztec(args: string[], env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const ctx: CliContext = { env, stdout: t => void (out.stdout += t), stderr: t => void (out.stderr += t) };
  const code = await main(['node', 'aztec', ...args], ctx);
  process.exitCode = 0;
  return { code, ...out };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'validator-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('aztec validator-keys', () => {
  it('new writes an encrypted keystore, add extends it from a mnemonic, list prints the addresses', async () => {
    const file = join(dir, 'keystore.json');
    const publisher = devAccount(7);
    const created = await aztec(['validator-keys', 'new', '--keystore', file, '--count', '2', '--scrypt-n', '1024'], {
      VALIDATOR_KEYS_PASSWORD: 'hunter2',
      VALIDATOR_KEYS_PUBLISHER_PRIVATE_KEY: publisher.privateKey,
    });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const attesters = [...created.stdout.matchAll(/attester (0x[0-9a-fA-F]{40})/g)].map(m => m[1]);
    expect(attesters).toHaveLength(2);
    expect(created.stdout).toContain(`publisher ${publisher.address}`);
    // Encrypted: neither the keys nor the password are in the keystore; files are the owner's only.
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(publisher.privateKey.slice(2));
    expect(text).not.toContain('hunter2');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(join(dir, 'keys', 'password'), 'utf8').trim()).toBe('hunter2');

    const added = await aztec([
      'validator-keys',
      'add',
      '--keystore',
      file,
      '--mnemonic',
      MNEMONIC,
      '--scrypt-n',
      '1024',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`attester ${devAccount(0).address}`);

    const listed = await aztec(['validator-keys', 'list'], { KEY_STORE_DIRECTORY: file });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('3 validator(s)');
    for (const a of [...attesters, devAccount(0).address]) expect(listed.stdout).toContain(`attester ${a}`);
    expect(listed.stdout).not.toMatch(/0x[0-9a-f]{64}/);
    const loaded = await loadKeystore(file);
    expect(loaded.map(v => v.attester)).toEqual([...attesters, devAccount(0).address]);
    expect(loaded[0]!.publisherPrivateKeys).toEqual([publisher.privateKey]);
  });

  it('refuses to overwrite, to add to a missing file, and to encrypt without a password', async () => {
    const file = join(dir, 'keystore.json');
    expect((await aztec(['validator-keys', 'new', '--keystore', file, '--unencrypted'])).code).toBe(0);
    const again = await aztec(['validator-keys', 'new', '--keystore', file, '--unencrypted']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Keystore ${file}: already exists`);
    const missing = await aztec(['validator-keys', 'add', '--keystore', join(dir, 'nope.json'), '--unencrypted']);
    expect(missing.stderr).toContain('no such file to add to');
    const noPassword = await aztec(['validator-keys', 'new', '--keystore', join(dir, 'other.json')]);
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toContain('VALIDATOR_KEYS_PASSWORD');
    expect((await aztec(['validator-keys', 'new'])).stderr).toContain('--keystore / KEY_STORE_DIRECTORY is required');
  });

  it('list names the file, entry and field of a wrong password', async () => {
    const file = join(dir, 'keystore.json');
    const pw = join(dir, 'pw.txt');
    writeFileSync(pw, 'right\n');
    const args = ['validator-keys', 'new', '--keystore', file, '--password-file', pw, '--scrypt-n', '1024'];
    expect((await aztec(args)).code).toBe(0);
    writeFileSync(pw, 'wrong\n');
    const listed = await aztec(['validator-keys', 'list', '--keystore', file]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`Keystore ${file}, validators[0].attester.passwordFile: wrong password`);
  });
});
