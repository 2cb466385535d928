import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { ConfigError } from '../foundation/config/index.js';
import { configureLogging, createLogger } from '../foundation/log/index.js';
import { devAccount } from '../l1/dev-accounts.js';
import { frToHex } from '../types/fr.js';
import { l2AddressFromPrivateKey } from '../types/keys.js';
import { resolveNodeValidators } from './validator-keys.js';

const COINBASE = '0x000000000000000000000000000000000000C0dE' as const;
const FEE = `0x${'00'.repeat(31)}ee` as const;
type Config = Parameters<typeof resolveNodeValidators>[0];
const config = (
  validator: { keyStoreDirectory?: string; validatorPrivateKey?: `0x${string}` },
  sequencer: { coinbase?: `0x${string}`; feeRecipient?: `0x${string}`; publisherPrivateKey?: `0x${string}` } = {},
) => ({ validator, sequencer }) as unknown as Config;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('resolveNodeValidators', () => {
  it('makes VALIDATOR_PRIVATE_KEY a keystore of one, with SEQ_PUBLISHER_PRIVATE_KEY, COINBASE and FEE_RECIPIENT', async () => {
    const key = devAccount(1).privateKey;
    expect(await resolveNodeValidators(config({ validatorPrivateKey: key }))).toEqual([
      {
        attester: devAccount(1).address,
        attesterPrivateKey: key,
        publisherPrivateKeys: [key],
        coinbase: devAccount(1).address,
        feeRecipient: frToHex(l2AddressFromPrivateKey(key)),
      },
    ]);
    const [v] = await resolveNodeValidators(
      config(
        { validatorPrivateKey: key },
        { publisherPrivateKey: devAccount(2).privateKey, coinbase: COINBASE, feeRecipient: FEE },
      ),
    );
    expect(v).toMatchObject({
      publisherPrivateKeys: [devAccount(2).privateKey],
      coinbase: COINBASE,
      feeRecipient: FEE,
    });
    expect(await resolveNodeValidators(config({}))).toEqual([]);
  });

  it('reads a keystore, its entries’ fields before COINBASE and FEE_RECIPIENT, and refuses it with a key too', async () => {
    dir = mkdtempSync(join(tmpdir(), 'node-validators-'));
    const file = join(dir, 'ks.json');
    const own = '0x00000000000000000000000000000000000000AA';
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        validators: [
          { attester: devAccount(3).privateKey, coinbase: own },
          { attester: devAccount(4).privateKey, publisher: devAccount(5).privateKey },
        ],
      }),
    );
    const vs = await resolveNodeValidators(
      config({ keyStoreDirectory: file }, { coinbase: COINBASE, feeRecipient: FEE }),
    );
    expect(vs.map(v => [v.attester, v.coinbase, v.feeRecipient, v.publisherPrivateKeys])).toEqual([
      [devAccount(3).address, own, FEE, [devAccount(3).privateKey]],
      [devAccount(4).address, COINBASE, FEE, [devAccount(5).privateKey]],
    ]);
    await expect(
      resolveNodeValidators(config({ keyStoreDirectory: file, validatorPrivateKey: devAccount(1).privateKey })),
    ).rejects.toBeInstanceOf(ConfigError);

    // Logged as a whole, the keys are redacted.
    const lines: string[] = [];
    configureLogging({ level: 'info', json: true, sink: l => lines.push(l) });
    try {
      createLogger('test').info('validators', { validators: vs });
    } finally {
      configureLogging({ level: process.env['LOG_LEVEL'] ?? 'info', sink: l => process.stderr.write(l + '\n') });
    }
    expect(lines.join('\n')).toContain(devAccount(3).address);
    for (const i of [3, 4, 5]) expect(lines.join('\n')).not.toContain(devAccount(i).privateKey.slice(2));
  });
});
