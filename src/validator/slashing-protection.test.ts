import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { keccak256, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { openKvStore, type KvStore } from '../kv/index.js';
import { recoverAttester } from '../protocol/proposal-digest.js';
import { ValidatorError } from './errors.js';
import { chainIdentityRoot, parseInterchange, ProtectedSigner, SlashingProtection } from './slashing-protection.js';

const ROOT = chainIdentityRoot(31337, '0x00000000000000000000000000000000000a11ce');
const digest = (n: number): Hex => keccak256(toHex(n));

let stores: KvStore[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(stores.map(s => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  stores = [];
  dirs = [];
});

async function open(dataDirectory?: string): Promise<KvStore> {
  const store = await openKvStore(dataDirectory ? { name: 'validator', dataDirectory } : { name: 'validator' });
  stores.push(store);
  return store;
}

describe('SlashingProtection', () => {
  it('refuses a different digest for a signed slot, re-signs the same one, keeps kinds apart', async () => {
    const key = generatePrivateKey();
    const signer = new ProtectedSigner(key, new SlashingProtection(await open(), ROOT));
    const sig = await signer.sign('attestation', 5n, digest(1));
    expect(await recoverAttester(digest(1), sig)).toBe(signer.address);
    await expect(signer.sign('attestation', 5n, digest(1))).resolves.toEqual(sig);
    const refused = signer.sign('attestation', 5n, digest(2));
    await expect(refused).rejects.toBeInstanceOf(ValidatorError);
    await expect(refused).rejects.toMatchObject({ code: 'SLASHABLE_SIGNATURE' });
    // A block proposal and the next slot are separate records.
    await signer.sign('block', 5n, digest(2));
    await signer.sign('attestation', 6n, digest(2));
    await expect(signer.sign('block', 5n, digest(3))).rejects.toMatchObject({ code: 'SLASHABLE_SIGNATURE' });
  });

  it('records before signing, durably: the refusal survives closing and reopening the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slashing-'));
    dirs.push(dir);
    const key = generatePrivateKey();
    const first = await open(dir);
    // Record only (as if the process died between recording and signing).
    new SlashingProtection(first, ROOT).checkAndRecord('block', privateKeyToAddress(key), 9n, digest(1));
    await first.close();
    const signer = new ProtectedSigner(key, new SlashingProtection(await open(dir), ROOT));
    await expect(signer.sign('block', 9n, digest(2))).rejects.toMatchObject({ code: 'SLASHABLE_SIGNATURE' });
    await expect(signer.sign('block', 9n, digest(1))).resolves.toBeDefined();
  });

  it('exports EIP-3076-style JSON that imports into a fresh store, and refuses conflicting imports', async () => {
    const key = generatePrivateKey();
    const a = new SlashingProtection(await open(), ROOT);
    const signer = new ProtectedSigner(key, a);
    await signer.sign('block', 3n, digest(1));
    await signer.sign('attestation', 3n, digest(1));
    await signer.sign('attestation', 12n, digest(2));
    const exported = JSON.parse(JSON.stringify(a.exportInterchange())) as unknown;
    expect(exported).toEqual({
      metadata: { interchange_format_version: '5', genesis_validators_root: ROOT },
      data: [
        {
          pubkey: signer.address,
          signed_blocks: [{ slot: '3', signing_root: digest(1) }],
          signed_attestations: [
            { slot: '3', signing_root: digest(1) },
            { slot: '12', signing_root: digest(2) },
          ],
        },
      ],
    });

    const b = new SlashingProtection(await open(), ROOT);
    expect(b.importInterchange(exported)).toBe(3);
    expect(b.importInterchange(exported)).toBe(0);
    expect(b.exportInterchange()).toEqual(exported);
    await expect(new ProtectedSigner(key, b).sign('attestation', 12n, digest(3))).rejects.toMatchObject({
      code: 'SLASHABLE_SIGNATURE',
    });

    // A conflicting record is refused and nothing of that import is kept.
    const c = new SlashingProtection(await open(), ROOT);
    c.checkAndRecord('attestation', signer.address, 12n, digest(9));
    expect(() => c.importInterchange(exported)).toThrow(expect.objectContaining({ code: 'INTERCHANGE_CONFLICT' }));
    expect(c.get('block', signer.address, 3n)).toBeUndefined();

    // Another chain's history, or a malformed document, is refused.
    const other = {
      ...(exported as object),
      metadata: { interchange_format_version: '5', genesis_validators_root: digest(7) },
    };
    expect(() => c.importInterchange(other)).toThrow(expect.objectContaining({ code: 'BAD_INTERCHANGE' }));
    expect(() => c.importInterchange({ data: 1 })).toThrow(expect.objectContaining({ code: 'BAD_INTERCHANGE' }));
  });

  it('refuses malformed documents with BAD_INTERCHANGE (never a TypeError) and self-conflicting ones whole', async () => {
    const p = new SlashingProtection(await open(), ROOT);
    const meta = { interchange_format_version: '5', genesis_validators_root: ROOT };
    const pubkey = privateKeyToAddress(generatePrivateKey());
    const malformed: [unknown, string][] = [
      [null, 'not an interchange document'],
      [{ metadata: null, data: [] }, 'not an interchange document'],
      [{ metadata: { ...meta, interchange_format_version: 5 }, data: [] }, 'interchange_format_version'],
      [{ metadata: { genesis_validators_root: ROOT, interchange_format_version: '5' }, data: [null] }, 'bad pubkey'],
      [{ metadata: meta, data: [{ pubkey: '0x12' }] }, 'bad pubkey'],
      [{ metadata: meta, data: [{ pubkey, signed_blocks: {} }] }, 'signed_blocks'],
      [{ metadata: meta, data: [{ pubkey, signed_blocks: [null] }] }, 'signed_blocks'],
      [{ metadata: meta, data: [{ pubkey, signed_attestations: [{ slot: 3, signing_root: digest(1) }] }] }, 'slot'],
      [{ metadata: meta, data: [{ pubkey, signed_attestations: [{ slot: '3', signing_root: '0x12' }] }] }, 'root'],
    ];
    for (const [doc, why] of malformed) {
      expect(() => p.importInterchange(doc)).toThrow(
        expect.objectContaining({ code: 'BAD_INTERCHANGE', message: expect.stringContaining(why) as unknown }),
      );
    }
    const foreign = { metadata: { ...meta, genesis_validators_root: digest(7) }, data: [] };
    expect(() => parseInterchange(foreign, ROOT)).toThrow(
      expect.objectContaining({ context: { genesisValidatorsRoot: digest(7), expected: ROOT } }),
    );

    const twice = {
      metadata: meta,
      data: [
        { pubkey, signed_blocks: [{ slot: '4', signing_root: digest(1) }] },
        { pubkey, signed_blocks: [{ slot: '4', signing_root: digest(2) }] },
      ],
    };
    expect(() => p.importInterchange(twice)).toThrow(
      expect.objectContaining({
        code: 'INTERCHANGE_CONFLICT',
        message: expect.stringContaining('earlier in the document') as unknown,
      }),
    );
    expect(p.get('block', pubkey, 4n)).toBeUndefined();
    expect(p.exportInterchange().data).toEqual([]);
  });
});
