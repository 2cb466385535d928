import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, inject, it } from 'vitest';

import { dockerOk, root } from './docker.js';

const ctx = inject('docker');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** Runs a shell script in a throwaway container of the image (on the host's network); its trimmed output. */
const inImage = (script: string) =>
  dockerOk(['run', '--rm', '--network', 'host', '--entrypoint', 'sh', ctx.image, '-c', script]);

/** The image docker/Dockerfile builds (the global setup built it from this checkout). */
describe.skipIf(!ctx.available)(`the image ${ctx.image}`, () => {
  it('runs `aztec --version` and prints our version', () => {
    expect(dockerOk(['run', '--rm', '--network', 'host', ctx.image, '--version'])).toBe(version);
  });

  it('runs as the unprivileged node user (uid 1000), with its data directory its own', () => {
    const out = inImage('id -u; id -g; stat -c %u /var/lib/aztec; echo "$DATA_DIRECTORY"');
    expect(out.split('\n')).toEqual(['1000', '1000', '1000', '/var/lib/aztec']);
  });

  it('defines a HEALTHCHECK on /status, the aztec entrypoint and the data volume', () => {
    const config = JSON.parse(dockerOk(['image', 'inspect', '--format', '{{json .Config}}', ctx.image])) as {
      Healthcheck?: { Test: string[] };
      Entrypoint: string[];
      Volumes: Record<string, unknown>;
      User: string;
    };
    expect(config.Healthcheck?.Test[0]).toBe('CMD');
    expect(config.Healthcheck?.Test.join(' ')).toContain('/status');
    expect(config.Entrypoint).toEqual(['aztec']);
    expect(Object.keys(config.Volumes)).toEqual(['/var/lib/aztec']);
    expect(config.User).toBe('node');
  });

  it('holds no build-stage CA and no build tools', () => {
    const out = inImage(
      'ls /usr/local/share/build-ca* 2>&1; command -v g++ || echo no-g++; echo "${NODE_EXTRA_CA_CERTS:-unset}"',
    );
    expect(out).toContain('No such file');
    expect(out).toContain('no-g++');
    expect(out.split('\n').at(-1)).toBe('unset');
  });
});

if (!ctx.available) {
  describe('the image', () => it.skip(`NOT RUN, no Docker engine: ${ctx.reason.split('\n')[0]}`, () => {}));
}
