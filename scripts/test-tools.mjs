#!/usr/bin/env node
// Runs before `npm test`: the tests use a few system tools besides Node (the guide's `curl … | jq …` commands,
// `docker-compose config` for the generated compose file, shellcheck for the setup scripts, Prometheus and promtool
// for the monitoring files, PostgreSQL's initdb and pg_ctl for HA signing; Chromium for the status page's browser
// test). Installs the missing ones with apt-get when that is possible (Debian, as root), else says exactly what to
// install. Chromium is wanted, not required: without it the browser test skips and says so (AZTEC_BROWSER_REQUIRED=1
// makes that a failure).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const TOOLS = {
  jq: 'jq',
  curl: 'curl',
  'docker-compose': 'docker-compose',
  shellcheck: 'shellcheck',
  // `promtool check` and a real Prometheus scraping a node (test/monitoring/).
  promtool: 'prometheus',
  prometheus: 'prometheus',
  // A real PostgreSQL server for HA signing (src/foundation/testing/postgres-server.ts).
  initdb: 'postgresql',
  pg_ctl: 'postgresql',
};
// Debian's chromium, driven by playwright-core (test/e2e/status-page.test.ts).
const WANTED = { chromium: 'chromium' };
const onPath = cmd => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
// Debian keeps PostgreSQL's server binaries off PATH, in /usr/lib/postgresql/<major>/bin.
const inPostgresLib = cmd =>
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some(major => existsSync(join('/usr/lib/postgresql', major, 'bin', cmd)));
const has = cmd => onPath(cmd) || ((cmd === 'initdb' || cmd === 'pg_ctl') && inPostgresLib(cmd));
const missing = Object.entries(TOOLS).filter(([cmd]) => !has(cmd));
const wanted = Object.entries(WANTED).filter(([cmd]) => !has(cmd));
if (missing.length === 0 && wanted.length === 0) process.exit(0);

const pkgs = list => [...new Set(list.map(([, pkg]) => pkg))];
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const run = args => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
const canInstall = root && has('apt-get') && run(['update', '-qq']);
// Required and wanted packages apart: a wanted one that will not install does not block the required ones.
const install = list => {
  if (list.length === 0) return true;
  if (!canInstall) return false;
  console.log(`test tools: installing ${pkgs(list).join(' ')} with apt-get`);
  return run(['install', '-y', '-qq', ...pkgs(list)]);
};
if (!install(wanted)) {
  console.warn(
    `test tools: ${wanted.map(([cmd]) => cmd).join(', ')} missing (e.g. sudo apt-get install ${pkgs(wanted).join(' ')}): ` +
      'the browser test will be skipped (AZTEC_BROWSER_REQUIRED=1 fails it instead).',
  );
}
if (install(missing)) process.exit(0);
console.error(
  `The tests need ${missing.map(([cmd]) => cmd).join(', ')}. Install them, e.g.: sudo apt-get install ${pkgs(missing).join(' ')}` +
    ' (macOS: brew install jq curl docker-compose shellcheck prometheus postgresql).',
);
process.exit(1);
