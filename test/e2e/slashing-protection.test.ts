import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { keccak256, toHex, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, describe, expect, it } from 'vitest';

import { openKvStore } from '../../src/kv/index.js';
import { localNetworkAddresses } from '../../src/l1/local-addresses.js';
import { NODE_STORE_NAME } from '../../src/node/node-store.js';
import {
  chainIdentityRoot,
  ProtectedSigner,
  SlashingProtection,
  type SigningKind,
} from '../../src/validator/slashing-protection.js';
import { runAztec } from '../helpers/cli.js';

// The chain of the built-in `local` preset, which the commands use by default.
const ROOT = chainIdentityRoot(31337, localNetworkAddresses().rollup);
const digest = (n: number): Hex => keccak256(toHex(n));

/** Signs on the node store of `dir` as a running node would (through slashing protection), then closes it. */
async function sign(dir: string, key: Hex, kind: SigningKind, slot: bigint, d: Hex) {
  const store = await openKvStore({ dataDirectory: dir, name: NODE_STORE_NAME });
  try {
    return await new ProtectedSigner(key, new SlashingProtection(store, ROOT)).sign(kind, slot, d);
  } finally {
    await store.close();
  }
}

/** Moving a validator key between machines: export the history on the old one, import it on the new one. */
describe('aztec export-slashing-protection / import-slashing-protection', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'aztec-slashing-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('moves the history to a fresh data directory, which then refuses a second signature for a signed slot', async () => {
    const [oldDir, newDir, file] = [join(tmp, 'old'), join(tmp, 'new'), join(tmp, 'history.json')];
    const key = generatePrivateKey();
    await sign(oldDir, key, 'block', 20n, digest(1));
    await sign(oldDir, key, 'attestation', 20n, digest(1));
    await sign(oldDir, key, 'attestation', 21n, digest(2));

    // DATA_DIRECTORY works as for `aztec start`; without --file the JSON goes to stdout, the summary to stderr.
    const toStdout = runAztec(['export-slashing-protection', '--network', 'local'], { DATA_DIRECTORY: oldDir });
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stderr).toContain('Exported 1 block proposal(s) and 2 attestation(s) of 1 validator(s)');
    const doc = JSON.parse(toStdout.stdout) as { metadata: { genesis_validators_root: Hex } };
    expect(doc.metadata.genesis_validators_root).toBe(ROOT);

    const exported = runAztec(['export-slashing-protection', '--data-directory', oldDir, '--file', file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(doc);

    const imported = runAztec(['import-slashing-protection', '--data-directory', newDir, '--file', file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('3 of them new');

    // The new machine's node refuses a different attestation or block for slot 20/21, re-signs the same ones.
    await expect(sign(newDir, key, 'attestation', 21n, digest(3))).rejects.toMatchObject({
      code: 'SLASHABLE_SIGNATURE',
    });
    await expect(sign(newDir, key, 'block', 20n, digest(3))).rejects.toMatchObject({ code: 'SLASHABLE_SIGNATURE' });
    await expect(sign(newDir, key, 'attestation', 20n, digest(1))).resolves.toBeDefined();
  });

  it('refuses clearly: no data directory, no history, another chain, a malformed file; nothing is written', () => {
    const missing = runAztec(['export-slashing-protection']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--data-directory / DATA_DIRECTORY is required');

    const empty = join(tmp, 'empty');
    const none = runAztec(['export-slashing-protection', '--data-directory', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`No node store at ${join(empty, 'node')}`);
    expect(existsSync(empty)).toBe(false);

    const file = join(tmp, 'foreign.json');
    const fresh = join(tmp, 'fresh');
    const foreign = { metadata: { interchange_format_version: '5', genesis_validators_root: digest(9) }, data: [] };
    writeFileSync(file, JSON.stringify(foreign));
    const refused = runAztec(['import-slashing-protection', '--data-directory', fresh, '--file', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`genesis_validators_root ${digest(9)} is not this chain's (${ROOT})`);
    expect(refused.stderr).toContain('Nothing was imported');
    expect(refused.stderr).toContain('--l1.rollupAddress');

    writeFileSync(file, '{"metadata": {"interchange_format_version": "5"');
    const malformed = runAztec(['import-slashing-protection', '--data-directory', fresh, '--file', file]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('it is not JSON');
    expect(existsSync(fresh)).toBe(false);
  });
});
