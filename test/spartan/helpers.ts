import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CLEAN_ENV } from '../helpers/cli.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const SCRIPT = join(root, 'spartan', 'aztec-spartan.sh');
export const BIN = join(root, 'bin', 'aztec-spartan.js');

/** Anvil's first development key and its address: never used on a public chain. */
export const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const DEV_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

/** A scratch directory, removed by the returned function. */
export function tempDir(prefix = 'aztec-spartan-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A `docker` that is installed but finds no engine, as on this machine (and whatever CI has): `docker info` fails
 * the way the real CLI does, and it has no `compose` plugin, so the tool falls back to `docker-compose`.
 */
export function fakeDocker(dir: string): string {
  const file = join(dir, 'docker');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      'case "$1" in',
      '  info) echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1 ;;',
      '  compose) echo "docker: \'compose\' is not a docker command." >&2; exit 1 ;;',
      '  *) echo "fake docker: $*" >&2; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

/** The environment the tool runs in: no setting of ours, no IP lookup on the internet. */
export function spartanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(CLEAN_ENV).filter(
      ([k]) => !/^(COINBASE|FEE_RECIPIENT|PEER_ID_PRIVATE_KEY|IMAGE|DATA_DIR|DATA_DIRECTORY|DATA_VOLUME)$/.test(k),
    ),
  );
  return { ...env, AZTEC_SPARTAN_IP_URL: '', ...extra };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `aztec-spartan.sh <args>` (or the npm bin with `via: 'bin'`) in `cwd`, stdin from `input`. */
export function runSpartan(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; input?: string; via?: 'script' | 'bin' },
): RunResult {
  const [cmd, argv] = opts.via === 'bin' ? [process.execPath, [BIN, ...args]] : ['bash', [SCRIPT, ...args]];
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd,
    env: opts.env ?? spartanEnv(),
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The KEY=VALUE lines of a .env file (comments and blank lines skipped). */
export function parseEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The `command:` of the generated compose file, as the container's arguments. */
export function composeCommand(file: string): string[] {
  const m = /^\s+command: (\[.*\])$/m.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`no command in ${file}`);
  return JSON.parse(m[1]!) as string[];
}

/** `docker-compose config` on a compose file: the normalized form, or the error. */
export function composeConfig(dir: string): RunResult {
  const r = spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Drives a command in a pseudo-terminal (util-linux `script`): each step waits for its prompt, then types the answer
 * and Enter. Resolves with the exit code and the whole terminal transcript.
 */
export function inTerminal(
  command: string,
  steps: { prompt: RegExp; answer: string }[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<{ code: number | null; transcript: string }> {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: opts.cwd,
    env: { ...opts.env, TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let transcript = '';
  let consumed = 0;
  let step = 0;
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  const onData = (d: Buffer) => {
    transcript += d.toString().replace(/\r/g, '');
    for (;;) {
      const next = steps[step];
      if (!next) return;
      const rest = transcript.slice(consumed);
      const m = next.prompt.exec(rest);
      if (!m) return;
      consumed += m.index + m[0].length;
      step++;
      child.stdin.write(`${next.answer}\r`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 40_000);
  return exited.then(code => {
    clearTimeout(timer);
    child.stdin.end();
    if (step < steps.length) {
      throw new Error(`the terminal session ended at step ${step} (${String(steps[step]?.prompt)}):\n${transcript}`);
    }
    return { code, transcript };
  });
}
