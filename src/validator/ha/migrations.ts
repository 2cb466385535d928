import type pg from 'pg';

/**
 * The HA signing database's schema, as numbered migrations applied in order by `aztec migrate-ha-db up` and
 * reverted in reverse order by `down`. `ha_schema_migrations` records which are applied. Each migration runs in its
 * own transaction under an advisory lock, so two nodes (or an operator and a node) migrating at once do not race.
 * A released migration is never edited: a change is a new one at the end.
 */
export interface Migration {
  version: number;
  name: string;
  up: string;
  down: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'validator duties',
    // One row per duty: the first node to insert it owns it. `chain_root` (EIP-3076's genesis_validators_root,
    // keccak256(L1 chain id, rollup)) keeps two chains' duties apart in one database.
    up: `
      CREATE TABLE validator_duties (
        chain_root  TEXT        NOT NULL,
        attester    TEXT        NOT NULL,
        slot        BIGINT      NOT NULL CHECK (slot >= 0),
        duty        TEXT        NOT NULL CHECK (duty IN ('block', 'attestation')),
        digest      TEXT        NOT NULL,
        node_id     TEXT        NOT NULL,
        claimed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        signature   TEXT,
        signed_at   TIMESTAMPTZ,
        PRIMARY KEY (chain_root, attester, slot, duty)
      )`,
    down: 'DROP TABLE validator_duties',
  },
  {
    version: 2,
    name: 'duties by slot',
    // For pruning old slots and for reading a slot's duties (tests, operators) without a full scan.
    up: 'CREATE INDEX validator_duties_by_slot ON validator_duties (chain_root, slot)',
    down: 'DROP INDEX validator_duties_by_slot',
  },
];

/** The version a node needs: every migration applied. */
export const LATEST_HA_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

// Any constant shared by every process migrating this schema.
const MIGRATION_LOCK = 0x617a7465630a;

const CREATE_VERSIONS = `
  CREATE TABLE IF NOT EXISTS ha_schema_migrations (
    version    INTEGER     PRIMARY KEY,
    name       TEXT        NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`;

/** The versions applied, ascending (none when the schema was never migrated). */
export async function appliedVersions(db: pg.Pool | pg.PoolClient): Promise<number[]> {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('ha_schema_migrations') AS t");
  if (exists.rows[0]?.t == null) return [];
  const { rows } = await db.query<{ version: number }>('SELECT version FROM ha_schema_migrations ORDER BY version');
  return rows.map(r => r.version);
}

/** What a migration run did. */
export interface MigrationResult {
  /** Versions applied (up) or reverted (down), in the order done. */
  done: { version: number; name: string }[];
  /** The schema version afterwards (0: none). */
  version: number;
}

async function inLockedTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Applies every migration not yet applied, each in its own transaction; nothing to do is not an error. */
export async function migrateUp(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const done: MigrationResult['done'] = [];
  for (const m of migrations) {
    const applied = await inLockedTransaction(pool, async c => {
      await c.query(CREATE_VERSIONS);
      if ((await appliedVersions(c)).includes(m.version)) return false;
      await c.query(m.up);
      await c.query('INSERT INTO ha_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (applied) done.push({ version: m.version, name: m.name });
  }
  return { done, version: Math.max(0, ...(await appliedVersions(pool))) };
}

/**
 * Reverts the applied migrations, newest first: `steps` of them (default all, which drops every table of the
 * schema, duties included). Nothing to revert is not an error.
 */
export async function migrateDown(
  pool: pg.Pool,
  steps = Number.POSITIVE_INFINITY,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const done: MigrationResult['done'] = [];
  for (const m of [...migrations].reverse()) {
    if (done.length >= steps) break;
    const reverted = await inLockedTransaction(pool, async c => {
      if (!(await appliedVersions(c)).includes(m.version)) return false;
      await c.query(m.down);
      await c.query('DELETE FROM ha_schema_migrations WHERE version = $1', [m.version]);
      return true;
    });
    if (reverted) done.push({ version: m.version, name: m.name });
  }
  const left = await inLockedTransaction(pool, async c => {
    const versions = await appliedVersions(c);
    if (versions.length === 0) await c.query('DROP TABLE IF EXISTS ha_schema_migrations');
    return versions;
  });
  return { done, version: Math.max(0, ...left) };
}
