import pg from 'pg';
import type { Address, Hex } from 'viem';

import { errorMessage, NodeError } from '../../foundation/errors/index.js';
import type { SigningKind } from '../slashing-protection.js';
import { appliedVersions, LATEST_HA_SCHEMA_VERSION } from './migrations.js';

/** The setting every connection error names. */
export const HA_DATABASE_URL_ENV = 'VALIDATOR_HA_DATABASE_URL';

/** The HA signing database could not be reached, or its schema is not the one this node needs. */
export class HaDatabaseError extends NodeError {
  constructor(code: 'HA_DATABASE_UNREACHABLE' | 'HA_SCHEMA_OUTDATED', message: string, context = {}) {
    super(code, message, context);
  }
}

/** A database URL with its password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '<redacted>';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/** One claimed duty, as stored. */
export interface DutyRecord {
  kind: SigningKind;
  attester: Address;
  slot: bigint;
  digest: Hex;
  nodeId: string;
  /** Set once the claiming node signed. */
  signature: Hex | undefined;
}

/** The outcome of a claim: `won` (this node may sign), or the row that another claim left. */
export type ClaimResult = { won: true; again: boolean } | { won: false; holder: string; digest: Hex };

interface DutyRow {
  duty: SigningKind;
  attester: string;
  slot: string;
  digest: string;
  node_id: string;
  signature: string | null;
}

const toRecord = (r: DutyRow): DutyRecord => ({
  kind: r.duty,
  attester: r.attester as Address,
  slot: BigInt(r.slot),
  digest: r.digest as Hex,
  nodeId: r.node_id,
  signature: (r.signature ?? undefined) as Hex | undefined,
});

/**
 * The duties of one chain in the HA signing database (PostgreSQL through `pg`'s pool). A duty is the row
 * (chain, attester, slot, kind); the node whose INSERT creates it owns it, with its digest. The INSERT is one
 * statement, so one transaction: of two nodes racing for a duty exactly one gets the row, whatever the timing.
 * Claims are per slot, so a node that dies holding one blocks nothing but that duty.
 */
export class HaSigningDatabase {
  private constructor(
    private readonly pool: pg.Pool,
    /** `genesis_validators_root` of the chain (see `chainIdentityRoot`). */
    readonly chainRoot: Hex,
    /** This node's id in the `node_id` column. */
    readonly nodeId: string,
    private readonly url: string,
  ) {}

  /**
   * Connects (one round trip, so a wrong URL fails here and not at the first duty) and checks that the schema is
   * migrated to the version this code needs. Errors name VALIDATOR_HA_DATABASE_URL.
   */
  static async connect(opts: {
    url: string;
    chainRoot: Hex;
    nodeId: string;
    /** Pool size (default 4). */
    maxConnections?: number;
    /** Skip the schema check (migrations themselves, tests). */
    checkSchema?: boolean;
  }): Promise<HaSigningDatabase> {
    const pool = openHaPool(opts.url, opts.maxConnections ?? 4);
    const db = new HaSigningDatabase(pool, opts.chainRoot.toLowerCase() as Hex, opts.nodeId, opts.url);
    try {
      const versions = await appliedVersions(pool).catch((err: unknown) => {
        throw unreachable(opts.url, err);
      });
      const version = Math.max(0, ...versions);
      if (opts.checkSchema !== false && version !== LATEST_HA_SCHEMA_VERSION) {
        throw new HaDatabaseError(
          'HA_SCHEMA_OUTDATED',
          `The HA signing database ${redactDatabaseUrl(opts.url)} (${HA_DATABASE_URL_ENV}) has schema version ` +
            `${version}, this node needs ${LATEST_HA_SCHEMA_VERSION}: run \`aztec migrate-ha-db up\` with ` +
            `${HA_DATABASE_URL_ENV} (or --database-url) set to it`,
          { version, needed: LATEST_HA_SCHEMA_VERSION },
        );
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return db;
  }

  /**
   * Claims `kind` for `attester` at `slot` with `digest`. Won when this node inserted the row, or inserted it
   * before with the same digest (a retry, or a restart); lost when another node holds it, or this node holds it
   * with another digest.
   */
  async claim(kind: SigningKind, attester: Address, slot: bigint, digest: Hex): Promise<ClaimResult> {
    const key = [this.chainRoot, attester.toLowerCase(), slot.toString(), kind];
    const d = digest.toLowerCase();
    const inserted = await this.query(
      `INSERT INTO validator_duties (chain_root, attester, slot, duty, digest, node_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (chain_root, attester, slot, duty) DO NOTHING
       RETURNING node_id`,
      [...key, d, this.nodeId],
    );
    if (inserted.rowCount === 1) return { won: true, again: false };
    // The row is written once and its owner and digest never change: reading it after the failed insert is exact.
    const existing = await this.query<{ node_id: string; digest: string }>(
      'SELECT node_id, digest FROM validator_duties WHERE chain_root = $1 AND attester = $2 AND slot = $3 AND duty = $4',
      key,
    );
    const row = existing.rows[0];
    if (!row) throw new Error(`duty row of ${attester} at slot ${slot} vanished after a conflicting insert`);
    if (row.node_id === this.nodeId && row.digest === d) return { won: true, again: true };
    return { won: false, holder: row.node_id, digest: row.digest as Hex };
  }

  /** Stores the signature of a duty this node claimed (what each duty was signed with, for audits). */
  async recordSignature(kind: SigningKind, attester: Address, slot: bigint, signature: Hex): Promise<void> {
    await this.query(
      `UPDATE validator_duties SET signature = $5, signed_at = now()
       WHERE chain_root = $1 AND attester = $2 AND slot = $3 AND duty = $4 AND node_id = $6 AND signature IS NULL`,
      [this.chainRoot, attester.toLowerCase(), slot.toString(), kind, signature, this.nodeId],
    );
  }

  /** The digest claimed for `kind` at `slot` by `signer` by any node of the set: "was this signed by us". */
  async get(kind: SigningKind, signer: Address, slot: bigint): Promise<Hex | undefined> {
    const { rows } = await this.query<{ digest: string }>(
      'SELECT digest FROM validator_duties WHERE chain_root = $1 AND attester = $2 AND slot = $3 AND duty = $4',
      [this.chainRoot, signer.toLowerCase(), slot.toString(), kind],
    );
    return rows[0]?.digest as Hex | undefined;
  }

  /** Every duty of this chain, by slot then attester (optionally from `fromSlot` on). */
  async duties(fromSlot = 0n): Promise<DutyRecord[]> {
    const { rows } = await this.query<DutyRow>(
      `SELECT duty, attester, slot::text AS slot, digest, node_id, signature FROM validator_duties
       WHERE chain_root = $1 AND slot >= $2 ORDER BY slot, attester, duty`,
      [this.chainRoot, fromSlot.toString()],
    );
    return rows.map(toRecord);
  }

  /**
   * Adds duties signed elsewhere (an interchange import) in one transaction, owned by `nodeId` (default: this
   * node). A duty already stored with another digest is a conflict: nothing is written, and the conflicts are
   * returned. Returns how many rows were new.
   */
  async importDuties(
    records: readonly { kind: SigningKind; signer: Address; slot: bigint; digest: Hex }[],
    nodeId = this.nodeId,
  ): Promise<{ added: number; conflicts: { kind: SigningKind; signer: Address; slot: bigint; stored: Hex }[] }> {
    const client = await this.pool.connect().catch((err: unknown) => {
      throw unreachable(this.url, err);
    });
    try {
      await client.query('BEGIN');
      let added = 0;
      const conflicts: { kind: SigningKind; signer: Address; slot: bigint; stored: Hex }[] = [];
      for (const r of records) {
        const key = [this.chainRoot, r.signer.toLowerCase(), r.slot.toString(), r.kind];
        const ins = await client.query(
          `INSERT INTO validator_duties (chain_root, attester, slot, duty, digest, node_id) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (chain_root, attester, slot, duty) DO NOTHING`,
          [...key, r.digest.toLowerCase(), nodeId],
        );
        if (ins.rowCount === 1) {
          added++;
          continue;
        }
        const { rows } = await client.query<{ digest: string }>(
          'SELECT digest FROM validator_duties WHERE chain_root = $1 AND attester = $2 AND slot = $3 AND duty = $4',
          key,
        );
        const stored = rows[0]?.digest;
        if (stored !== undefined && stored !== r.digest.toLowerCase()) {
          conflicts.push({ kind: r.kind, signer: r.signer, slot: r.slot, stored: stored as Hex });
        }
      }
      await client.query(conflicts.length > 0 ? 'ROLLBACK' : 'COMMIT');
      return { added: conflicts.length > 0 ? 0 : added, conflicts };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** A bare `SELECT 1` round trip on the same pool (the bench's baseline). */
  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (err) {
      if (isConnectionError(err)) throw unreachable(this.url, err);
      throw err;
    }
  }
}

/**
 * A `pg` pool on `url`. Idle connections that break (the server restarts) are dropped and logged by the pool's
 * error handler instead of crashing the process; the next query opens a new one.
 */
export function openHaPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {
    // An idle client lost its connection; pg removes it from the pool. Queries report their own errors.
  });
  return pool;
}

/** Whether `err` is a failure to reach the server (not an SQL error, which carries a SQLSTATE code). */
function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P');
  return true;
}

/** An error's message; a connection refused on every address is an AggregateError with an empty one. */
function describe(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') return err.errors.map(describe).join('; ');
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = errorMessage(err);
  return message !== '' ? message : typeof code === 'string' ? code : 'unknown error';
}

/** The error for a database that cannot be reached, naming the URL (password redacted) and its variable. */
export function unreachable(url: string, err: unknown): HaDatabaseError {
  if (err instanceof HaDatabaseError) return err;
  return new HaDatabaseError(
    'HA_DATABASE_UNREACHABLE',
    `Cannot use the HA signing database ${redactDatabaseUrl(url)} (${HA_DATABASE_URL_ENV}): ${describe(err)}`,
    { url: redactDatabaseUrl(url) },
  );
}
