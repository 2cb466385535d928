import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { keccak256, toHex, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { openKvStore } from '../kv/index.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from '../validator/slashing-protection.js';
import { NODE_STORE_NAME, nodeStorePath } from './node-store.js';
import { exportSlashingProtection, importSlashingProtection } from './slashing-protection-history.js';

const ROOT = chainIdentityRoot(31337, '0x00000000000000000000000000000000000a11ce');
const digest = (n: number): Hex => keccak256(toHex(n));

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slashing-history-'));
  dirs.push(dir);
  return dir;
}

/** Signs with `key` on the node store of `dir`, as a running node would, then closes the store. */
async function sign(dir: string, key: Hex, records: [kind: 'block' | 'attestation', slot: bigint, n: number][]) {
  const store = await openKvStore({ dataDirectory: dir, name: NODE_STORE_NAME });
  const signer = new ProtectedSigner(key, new SlashingProtection(store, ROOT));
  for (const [kind, slot, n] of records) await signer.sign(kind, slot, digest(n));
  await store.close();
  return signer.address;
}

describe('slashing protection history of a data directory', () => {
  it('exports the records, and imports them into a fresh directory that then refuses a second signature', async () => {
    const [from, to] = [tempDir(), join(tempDir(), 'new')];
    const key = generatePrivateKey();
    await sign(from, key, [
      ['block', 5n, 1],
      ['attestation', 5n, 1],
      ['attestation', 6n, 2],
    ]);
    const doc = await exportSlashingProtection(from, ROOT);
    expect(doc.data[0]?.signed_attestations).toHaveLength(2);

    const result = await importSlashingProtection(to, ROOT, JSON.parse(JSON.stringify(doc)));
    expect(result).toEqual({ added: 3, summary: { validators: 1, blocks: 1, attestations: 2 } });
    expect((await importSlashingProtection(to, ROOT, doc)).added).toBe(0);
    await expect(sign(to, key, [['attestation', 6n, 3]])).rejects.toMatchObject({ code: 'SLASHABLE_SIGNATURE' });
    await expect(sign(to, key, [['block', 5n, 1]])).resolves.toBeDefined();
  });

  it('says when there is no store or no history, and creates nothing for a refused import', async () => {
    const dir = tempDir();
    const missing = join(dir, 'typo');
    await expect(exportSlashingProtection(missing, ROOT)).rejects.toMatchObject({
      code: 'NO_NODE_STORE',
      message: expect.stringContaining('--data-directory / DATA_DIRECTORY') as unknown,
    });
    expect(existsSync(missing)).toBe(false);

    await (await openKvStore({ dataDirectory: dir, name: NODE_STORE_NAME })).close();
    await expect(exportSlashingProtection(dir, ROOT)).rejects.toMatchObject({ code: 'NO_SLASHING_HISTORY' });

    const foreign = { metadata: { interchange_format_version: '5', genesis_validators_root: digest(9) }, data: [] };
    await expect(importSlashingProtection(missing, ROOT, foreign)).rejects.toMatchObject({ code: 'BAD_INTERCHANGE' });
    expect(existsSync(nodeStorePath(missing))).toBe(false);
  });
});
