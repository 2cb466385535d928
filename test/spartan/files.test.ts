import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { root, tempDir } from './helpers.js';

/** Dockerfile instructions, continuation lines joined, comments dropped (`# hadolint ignore=` kept apart). */
function instructions(text: string): { op: string; args: string; ignore: string[] }[] {
  const out: { op: string; args: string; ignore: string[] }[] = [];
  let ignore: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const hint = /^# hadolint ignore=([A-Z0-9,]+)/.exec(line);
    if (hint) ignore = hint[1]!.split(',');
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) continue;
    const m = /^(\S+)\s+(.*)$/.exec(pending)!;
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!, ignore });
    pending = '';
    ignore = [];
  }
  return out;
}

/**
 * The Dockerfile lint. hadolint cannot be had on this machine (no package in the npm or Debian registries), so this
 * checks the hadolint rules that apply to our Dockerfile, by their hadolint codes.
 */
describe('docker/Dockerfile', () => {
  const text = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
  const ins = instructions(text);
  const violations: string[] = [];
  const check = (code: string, ok: boolean, what: string, i?: { ignore: string[] }) => {
    if (!ok && !i?.ignore.includes(code)) violations.push(`${code}: ${what}`);
  };
  const args = Object.fromEntries(
    ins.filter(i => i.op === 'ARG').map(i => i.args.split('=') as [string, string]),
  ) as Record<string, string>;
  const froms = ins.filter(i => i.op === 'FROM');
  for (const f of froms) {
    const image = f.args.split(/\s+/)[0]!.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '');
    check('DL3006', /:[^/]+$/.test(image), `tag the image version: ${image}`);
    check('DL3007', !image.endsWith(':latest'), `no :latest: ${image}`);
  }
  const users = ins.filter(i => i.op === 'USER');
  check('DL3002', users.length > 0 && !/^(root|0)(:|$)/.test(users.at(-1)!.args), 'the last USER is not root');
  for (const i of ins) {
    check('DL3020', i.op !== 'ADD', `COPY instead of ADD: ${i.args}`, i);
    if (i.op === 'WORKDIR') check('DL3000', i.args.startsWith('/'), `absolute WORKDIR: ${i.args}`, i);
    if (i.op === 'ENTRYPOINT' || i.op === 'CMD') check('DL3025', i.args.startsWith('['), `JSON form: ${i.op}`, i);
    if (i.op === 'RUN') {
      check('DL3003', !/(^|&&|;)\s*cd\s/.test(i.args), 'WORKDIR instead of cd', i);
      check('DL3004', !/\bsudo\b/.test(i.args), 'no sudo', i);
      if (/apt-get install/.test(i.args)) {
        check('DL3015', i.args.includes('--no-install-recommends'), 'apt-get --no-install-recommends', i);
        check('DL3014', /apt-get install (-\S+ )*-y/.test(i.args), 'apt-get install -y', i);
        check('DL3009', i.args.includes('rm -rf /var/lib/apt/lists/*'), 'delete the apt lists', i);
      }
      check('DL3027', !/(^|\s)apt\s/.test(i.args), 'apt-get, not apt', i);
      check('DL4006', !/\|/.test(i.args) || /pipefail/.test(i.args), 'set -o pipefail before a pipe', i);
      check('DL3016', !/npm (i|install) (?!--)\S/.test(i.args), 'pin npm package versions', i);
    }
    if (i.op === 'COPY' && /--from=/.test(i.args)) {
      const stage = /--from=(\S+)/.exec(i.args)![1]!;
      check(
        'DL3022',
        froms.some(f => new RegExp(`\\sAS\\s+${stage}$`, 'i').test(f.args)),
        `--from a named stage`,
        i,
      );
    }
  }
  check('DL4000', !ins.some(i => i.op === 'MAINTAINER'), 'MAINTAINER is deprecated');
  check('DL4003', ins.filter(i => i.op === 'CMD').length <= 1, 'one CMD');
  check('DL4004', ins.filter(i => i.op === 'ENTRYPOINT').length <= 1, 'one ENTRYPOINT');

  it('passes the hadolint rules that apply to it', () => expect(violations).toEqual([]));

  it('is multi-stage, runs as a non-root user on Node LTS with the `aztec` entrypoint', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(Number(args['NODE_VERSION']) % 2).toBe(0); // even majors are the LTS lines
    expect(froms.every(f => f.args.startsWith('node:${NODE_VERSION}-'))).toBe(true);
    expect(users.at(-1)!.args).toBe('node');
    expect(ins.find(i => i.op === 'ENTRYPOINT')!.args).toBe('["aztec"]');
    expect(text).toContain('ln -s /opt/aztec/bin/aztec.js /usr/local/bin/aztec');
  });
});

describe('the shell scripts', () => {
  const scripts = [
    'spartan/aztec-spartan.sh',
    'spartan/install.sh',
    'spartan/build-install.sh',
    'spartan/build-monitoring.sh',
  ];

  it('parse (bash -n) and pass shellcheck', () => {
    for (const s of scripts) {
      const r = spawnSync('bash', ['-n', join(root, s)], { encoding: 'utf8' });
      expect(r.status, `${s}: ${r.stderr}`).toBe(0);
    }
    const sc = spawnSync('shellcheck', scripts, { cwd: root, encoding: 'utf8' });
    expect(sc.error, 'shellcheck is not installed (npm test installs it on Debian as root)').toBeUndefined();
    expect(sc.status, sc.stdout).toBe(0);
  });

  it('install.sh embeds the current aztec-spartan.sh (spartan/build-install.sh regenerates it)', () => {
    const install = readFileSync(join(root, 'spartan/install.sh'), 'utf8');
    const script = readFileSync(join(root, 'spartan/aztec-spartan.sh'), 'utf8');
    expect(install).toContain(`<<'AZTEC_SPARTAN_SCRIPT_EOF'\n${script}AZTEC_SPARTAN_SCRIPT_EOF\n`);
  });

  it('`curl -L <url> | bash` writes an executable aztec-spartan.sh here and says what to run next', () => {
    const { dir, remove } = tempDir();
    try {
      const r = spawnSync('bash', ['-c', `cat '${join(root, 'spartan/install.sh')}' | bash`], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('./aztec-spartan.sh config');
      const installed = join(dir, 'aztec-spartan.sh');
      expect(readFileSync(installed, 'utf8')).toBe(readFileSync(join(root, 'spartan/aztec-spartan.sh'), 'utf8'));
      const help = spawnSync(installed, [], { cwd: dir, encoding: 'utf8' });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('Usage: ./aztec-spartan.sh <command> [options]');
    } finally {
      remove();
    }
  });
});
