import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The image the docker tests build and run (scripts/docker-build.mjs's default, aztec-spartan's default image). */
export const IMAGE = process.env['AZTEC_IMAGE'] || 'aztec-sequencer-node:latest';

/** What the global setup found: whether an engine answers and the image is built, or why not. */
export interface DockerContext {
  available: boolean;
  reason: string;
  image: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    docker: DockerContext;
  }
}

/** Runs `docker <args>` to completion. */
export function docker(args: string[], timeoutMs = 60_000) {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs `docker <args>` and returns its trimmed stdout; throws with stderr when it fails. */
export function dockerOk(args: string[], timeoutMs = 60_000): string {
  const r = docker(args, timeoutMs);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

/** Whether a Docker engine answers on this machine. */
export const engineAnswers = () => docker(['info', '--format', '{{.ServerVersion}}'], 20_000).code === 0;
