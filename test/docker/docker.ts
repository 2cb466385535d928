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

/** The guide's curl command (jq included), against our port. */
export function curlJq(port: number, method: string, params: unknown[], filter: string): string {
  const body = JSON.stringify({ jsonrpc: '2.0', method, params, id: 67 });
  const cmd = `curl -s -X POST -H 'Content-Type: application/json' -d '${body}' "http://127.0.0.1:${port}" | jq "${filter}"`;
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', cmd], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** The block numbers of a log's "Downloaded L2 block N" lines, in order. */
export const downloaded = (logs: string) => [...logs.matchAll(/Downloaded L2 block (\d+)/g)].map(m => Number(m[1]));
