import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { engineAnswers, IMAGE, root, type DockerContext } from './docker.js';

/**
 * Once for the docker project: an engine (scripts/docker-engine.mjs starts dockerd when none answers and this runs as
 * root), the base image, and our image built from docker/Dockerfile. When no engine can run here the tests are
 * skipped, and said so loudly; AZTEC_DOCKER_REQUIRED=1 (set by .ci/run on machines that can run one) makes that an
 * error instead. The teardown stops the engine only if this setup started it.
 */
let startedEngine = false;
const logDir = join(tmpdir(), 'aztec-docker-tests');

function script(name: string, args: string[], log: string): { ok: boolean; code: number | null; tail: string } {
  const r = spawnSync(process.execPath, [join(root, 'scripts', name), ...args], { cwd: root, encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, log), out);
  return { ok: r.status === 0, code: r.status, tail: out.trim().split('\n').slice(-20).join('\n') };
}

function loud(message: string) {
  const bar = '!'.repeat(100);
  process.stderr.write(`\n${bar}\n!! DOCKER TESTS NOT RUN: ${message}\n${bar}\n\n`);
}

export default function setup(project: TestProject) {
  const provide = (ctx: DockerContext) => project.provide('docker', ctx);
  const required = process.env['AZTEC_DOCKER_REQUIRED'] === '1';
  const unavailable = (reason: string) => {
    if (required) throw new Error(`AZTEC_DOCKER_REQUIRED=1 but ${reason}`);
    loud(reason);
    provide({ available: false, reason, image: IMAGE });
  };

  if (!engineAnswers()) {
    const start = script('docker-engine.mjs', ['start'], 'docker-engine-start.log');
    if (!start.ok) {
      return unavailable(
        start.code === 2
          ? `no Docker engine can run on this machine:\n${start.tail}`
          : `starting one failed:\n${start.tail}`,
      );
    }
    startedEngine = true;
  }
  try {
    const t0 = Date.now();
    const base = script('docker-engine.mjs', ['base'], 'docker-engine-base.log');
    if (!base.ok)
      throw new Error(`making the base image failed (${join(logDir, 'docker-engine-base.log')}):\n${base.tail}`);
    const t1 = Date.now();
    const build = script('docker-build.mjs', ['--tag', IMAGE], 'docker-build.log');
    if (!build.ok) throw new Error(`docker build failed (${join(logDir, 'docker-build.log')}):\n${build.tail}`);
    process.stdout.write(
      `docker: engine ready${startedEngine ? ' (started for these tests)' : ''}; base image ${seconds(t0, t1)}; ` +
        `${IMAGE} built in ${seconds(t1, Date.now())}\n`,
    );
  } catch (err) {
    stopOurEngine();
    throw err;
  }
  provide({ available: true, reason: '', image: IMAGE });
  return stopOurEngine;
}

const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;

function stopOurEngine() {
  if (startedEngine) script('docker-engine.mjs', ['stop'], 'docker-engine-stop.log');
  startedEngine = false;
}
