import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { resolveAztecConfig } from '../cli/commands/start/parse.js';
import { checkSigningProtection, signingProtectionProblems } from './signing-protection.js';

const configWith = (env: Record<string, string>) =>
  resolveAztecConfig({ flags: {}, env }, { defaultNetwork: 'local' }).config;
const messages = (env: Record<string, string>, signs = true) =>
  signingProtectionProblems(configWith(env), signs).map(i => i.message);

describe('signing protection settings', () => {
  it('refuses a signing node with neither a data directory nor HA, and says why and what to set', () => {
    const [message, ...rest] = messages({});
    expect(rest).toEqual([]);
    expect(message).toContain('--data-directory / DATA_DIRECTORY');
    expect(message).toContain('VALIDATOR_HA_SIGNING_ENABLED=true');
    expect(message).toContain('VALIDATOR_ALLOW_EPHEMERAL_SIGNING_PROTECTION=true');
    expect(message).toMatch(/second, different block or attestation/);
    expect(() => checkSigningProtection(configWith({}), true)).toThrow(/Refusing to sign/);
  });

  it('lets it start with a data directory, with HA, with the allowance, or when it signs nothing', () => {
    expect(messages({ DATA_DIRECTORY: '/var/lib/aztec' })).toEqual([]);
    expect(
      messages({ VALIDATOR_HA_SIGNING_ENABLED: 'true', VALIDATOR_HA_DATABASE_URL: 'postgres://u:p@127.0.0.1/ha' }),
    ).toEqual([]);
    expect(messages({ VALIDATOR_ALLOW_EPHEMERAL_SIGNING_PROTECTION: 'true' })).toEqual([]);
    expect(messages({}, false)).toEqual([]);
  });

  it('HA signing without its database URL names VALIDATOR_HA_DATABASE_URL', () => {
    const [message, ...rest] = messages({ VALIDATOR_HA_SIGNING_ENABLED: 'true', DATA_DIRECTORY: '/d' });
    expect(rest).toEqual([]);
    expect(message).toContain('--validator.haDatabaseUrl / VALIDATOR_HA_DATABASE_URL');
  });

  it('a bad VALIDATOR_HA_DATABASE_URL is refused by name, without echoing the secret', () => {
    expect(() => configWith({ VALIDATOR_HA_DATABASE_URL: 'mysql://u:hunter2@db/ha' })).toThrow(
      /VALIDATOR_HA_DATABASE_URL.*postgres:\/\//,
    );
    expect(() => configWith({ VALIDATOR_HA_DATABASE_URL: 'mysql://u:hunter2@db/ha' })).not.toThrow(/hunter2/);
  });

  it('aztec start --sequencer with a key and no data directory exits 1 before touching L1', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^(ETHEREUM_|L1_|VALIDATOR_|SEQ_|P2P_|AZTEC_|NETWORK|LOG_|DATA_)/.test(k),
      ),
    );
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'start', '--network', 'local', '--node', '--archiver', '--sequencer'],
      {
        cwd: root,
        env: {
          ...env,
          VALIDATOR_PRIVATE_KEY: `0x${'11'.repeat(32)}`,
          ETHEREUM_HOSTS: 'http://127.0.0.1:1',
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Refusing to sign without slashing protection');
    expect(r.stderr).toContain('VALIDATOR_ALLOW_EPHEMERAL_SIGNING_PROTECTION');
  });
});
