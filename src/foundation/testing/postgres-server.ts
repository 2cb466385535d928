import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getFreePort } from '../net/free-port.js';

/**
 * A real PostgreSQL server for tests: Debian's `postgresql` binaries (`initdb`, `pg_ctl`), a cluster initialised
 * into a temporary folder, listening on a free 127.0.0.1 port, stopped by the postmaster's PID.
 *
 * initdb and postgres refuse to run as root: as root, they run as the `postgres` user (created by Debian's package)
 * through `runuser`, in a folder chowned to it. `AZTEC_POSTGRES_REQUIRED=1` (set by .ci/run on a root + apt-get
 * machine, where scripts/test-tools.mjs installs the package) turns "not available" from a skip into a failure.
 */

/** Where `initdb` and `pg_ctl` are. */
export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

/** Whether a server can be started here, and if not, why. */
export type PostgresAvailability = { available: true; bin: PostgresBinaries } | { available: false; reason: string };

const REQUIRED_ENV = 'AZTEC_POSTGRES_REQUIRED';

const onPath = (cmd: string): string | undefined => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

/** `initdb` and `pg_ctl` on PATH, else in the newest /usr/lib/postgresql/<major>/bin (Debian keeps them there). */
export function findPostgresBinaries(): PostgresBinaries | undefined {
  const initdb = onPath('initdb');
  const pgCtl = onPath('pg_ctl');
  if (initdb && pgCtl) return { initdb, pgCtl };
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter(v => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(base, major, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) {
      return { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
    }
  }
  return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The uid and gid of the `postgres` user, when there is one. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Whether a server can run here (binaries found; as root, a `postgres` user and `runuser`). */
export function postgresAvailability(): PostgresAvailability {
  const bin = findPostgresBinaries();
  if (!bin) {
    return {
      available: false,
      reason:
        'PostgreSQL not found (no initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin): ' +
        "install Debian's postgresql package (npm test does it as root)",
    };
  }
  if (isRoot()) {
    if (!postgresUser()) return { available: false, reason: 'running as root but there is no postgres user' };
    if (!onPath('runuser')) return { available: false, reason: 'running as root but runuser is missing' };
  }
  return { available: true, bin };
}

/**
 * Availability for a test file: when PostgreSQL is missing, says so loudly on stderr (and the caller skips), unless
 * AZTEC_POSTGRES_REQUIRED=1, where it throws.
 */
export function postgresForTests(): PostgresAvailability {
  const a = postgresAvailability();
  if (!a.available) {
    if (process.env[REQUIRED_ENV] === '1') throw new Error(`${REQUIRED_ENV}=1 but ${a.reason}`);
    process.stderr.write(`\n!! POSTGRESQL TESTS NOT RUN: ${a.reason}\n\n`);
  }
  return a;
}

/** A running server: its URL (database `postgres`, user `postgres`, no password) and how to stop it. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** The postmaster's PID. */
  pid: number;
  dataDir: string;
  /** A URL to another database of this server. */
  urlFor(database: string): string;
  /** Stops the server by PID (fast shutdown, SIGKILL after 10 s) and removes its folder. */
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], asPostgres: boolean): void {
  const [file, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * initdb into a fresh temporary folder and start a server on a free 127.0.0.1 port (waits until it is ready).
 * Durability is off (no fsync, asynchronous commit) unless `durable`: a test server is thrown away with its folder;
 * a benchmark of commit latency wants it on, as in production.
 */
export async function startPostgres(bin: PostgresBinaries, opts: { durable?: boolean } = {}): Promise<PostgresServer> {
  const asPostgres = isRoot();
  const dir = mkdtempSync(join(tmpdir(), 'aztec-pg-'));
  const dataDir = join(dir, 'data');
  if (asPostgres) {
    const user = postgresUser();
    if (!user) throw new Error('running as root but there is no postgres user');
    chownSync(dir, user.uid, user.gid);
  }
  try {
    run(bin.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], asPostgres);
    const port = await getFreePort();
    // The socket lives in the folder, not /run.
    const durability = opts.durable ? '' : ' -c fsync=off -c synchronous_commit=off';
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir}${durability}`;
    run(
      bin.pgCtl,
      ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(dataDir, 'server.log'), '-o', options],
      asPostgres,
    );
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
    return {
      url: url('postgres'),
      port,
      pid,
      dataDir,
      urlFor: url,
      stop: async () => {
        if (alive(pid)) process.kill(pid, 'SIGINT');
        const deadline = Date.now() + 10_000;
        while (alive(pid) && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
        if (alive(pid)) process.kill(pid, 'SIGKILL');
        while (alive(pid)) await new Promise(r => setTimeout(r, 50));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
