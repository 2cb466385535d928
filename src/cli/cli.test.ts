import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { main } from './index.js';
import type { CliContext } from './types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLEAN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(ETHEREUM_|L1_|VALIDATOR_|SEQ_|P2P_|AZTEC_|NETWORK|LOG_)/.test(k)),
);

/** Runs the CLI from source in a child process, as an operator would. */
function aztec(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: root,
    env: { ...CLEAN_ENV, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function capture(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const ctx: CliContext = { env, stdout: t => void (out.stdout += t), stderr: t => void (out.stderr += t) };
  return { ctx, out };
}

describe('aztec CLI (in process)', () => {
  afterEach(() => {
    process.exitCode = 0;
  });

  it('prints config problems without a stack trace and exits 1', async () => {
    const { ctx, out } = capture({ AZTEC_PORT: 'http' });
    expect(await main(['node', 'aztec', 'start', '--node'], ctx)).toBe(1);
    expect(out.stderr).toContain('--port / AZTEC_PORT: "http" from environment variable AZTEC_PORT is invalid');
    expect(out.stderr).not.toContain('    at ');
  });

  it('lists start in the top-level help and rejects unknown commands', async () => {
    const help = capture();
    expect(await main(['node', 'aztec', '--help'], help.ctx)).toBe(0);
    expect(help.out.stdout).toContain('start');
    const bad = capture();
    expect(await main(['node', 'aztec', 'nope'], bad.ctx)).toBe(1);
    expect(bad.out.stderr).toContain("unknown command 'nope'");
  });
});

describe('aztec CLI (child process)', () => {
  it('start --help shows every seed variable and exits 0', () => {
    const r = aztec(['start', '--help']);
    expect(r.code).toBe(0);
    for (const name of ['ETHEREUM_HOSTS', 'BOOTNODE_URL', 'PEER_ID_PRIVATE_KEY', 'SEQ_VIEM_POLLING_INTERVAL_TIME']) {
      expect(r.stdout).toContain(name);
    }
  });

  it('ETHEREUM_HOSTS=notaurl start --node exits non-zero naming ETHEREUM_HOSTS and --l1-rpc-urls', () => {
    const r = aztec(['start', '--node'], { ETHEREUM_HOSTS: 'notaurl' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--l1-rpc-urls / ETHEREUM_HOSTS: "notaurl" from environment variable ETHEREUM_HOSTS');
    expect(r.stdout).toBe('');
  });

  it('--version prints the package version, as node_getNodeVersion reports it', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = aztec([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it('refuses a bad VALIDATOR_PRIVATE_KEY without echoing it', () => {
    const key = '0x5eed5eed5eed5eed5eed';
    const r = aztec(['start', '--node', '--sequencer'], { VALIDATOR_PRIVATE_KEY: key, LOG_LEVEL: 'debug' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('VALIDATOR_PRIVATE_KEY');
    expect(r.stderr).toContain('0x followed by exactly 64 hex characters');
    expect(r.stdout + r.stderr).not.toContain('5eed');
  });
});
