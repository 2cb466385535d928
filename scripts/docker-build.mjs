#!/usr/bin/env node
// Builds the node image from docker/Dockerfile, as an operator would, on a machine like the test machines:
//
//   node scripts/docker-build.mjs [--tag <image>] [--ca <file> | --no-ca] [extra docker build args…]
//
// --tag   the image's name [$AZTEC_IMAGE, else aztec-sequencer-node:latest, the image aztec-spartan's config defaults to]
// --ca    a PEM file of extra CA certificates the build stage trusts (copied into docker/build-ca/ for the build, then
//         removed); default: the file in $NODE_EXTRA_CA_CERTS when set, so that a build behind the same
//         TLS-intercepting proxy as this machine's Node works. --no-ca: none.
//
// The build uses the host's network (`--network host`: the engine may have no bridge network) and the legacy builder
// when buildx is not installed. The base image must be there (or pullable): `node scripts/docker-engine.mjs base`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_IMAGE = 'aztec-sequencer-node:latest';

const argv = process.argv.slice(2);
let tag = process.env.AZTEC_IMAGE || DEFAULT_IMAGE;
let ca = process.env.NODE_EXTRA_CA_CERTS || undefined;
const extra = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--tag') tag = argv[++i];
  else if (argv[i] === '--ca') ca = argv[++i];
  else if (argv[i] === '--no-ca') ca = undefined;
  else extra.push(argv[i]);
}
if (ca && !existsSync(ca)) {
  console.error(`docker-build: the CA file ${ca} does not exist`);
  process.exit(1);
}

const buildx = spawnSync('docker', ['buildx', 'version'], { stdio: 'ignore' }).status === 0;
const copied = join(root, 'docker/build-ca/build-host-ca.crt');
const started = Date.now();
let status = 1;
try {
  if (ca) copyFileSync(ca, copied);
  const args = ['build', '--network', 'host', '-f', 'docker/Dockerfile', '-t', tag, ...extra, '.'];
  console.log(
    `docker-build: docker ${args.join(' ')}${buildx ? '' : ' (legacy builder)'}${ca ? ` with extra CA ${ca}` : ''}`,
  );
  const r = spawnSync('docker', args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DOCKER_BUILDKIT: buildx ? '1' : '0' },
  });
  status = r.status ?? 1;
} finally {
  rmSync(copied, { force: true });
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(status === 0 ? `docker-build: ${tag} built in ${seconds} s` : `docker-build: failed after ${seconds} s`);
process.exit(status);
