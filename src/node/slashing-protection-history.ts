import { existsSync } from 'node:fs';

import { getAddress, type Address, type Hex } from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import { openKvStore } from '../kv/index.js';
import { ValidatorError } from '../validator/errors.js';
import { HaSigningDatabase, redactDatabaseUrl } from '../validator/ha/index.js';
import {
  buildInterchange,
  parseInterchange,
  type InterchangeEntry,
  SlashingProtection,
  type SlashingProtectionInterchange,
} from '../validator/slashing-protection.js';
import { NODE_STORE_NAME, nodeStorePath } from './node-store.js';

/** How much an interchange document holds. */
export interface InterchangeSummary {
  validators: number;
  blocks: number;
  attestations: number;
}

/** Counts the validators and signed records of an interchange document's records (see `parseInterchange`). */
export function summarizeInterchange(records: readonly InterchangeEntry[]): InterchangeSummary {
  return {
    validators: new Set(records.map(r => r.signer)).size,
    blocks: records.filter(r => r.kind === 'block').length,
    attestations: records.filter(r => r.kind === 'attestation').length,
  };
}

/** Where a history is read from or merged into: a data directory's node store, the HA signing database, or both. */
export interface HistorySources {
  dataDirectory?: string | undefined;
  /** VALIDATOR_HA_DATABASE_URL: the duties of every node of the HA set. */
  haDatabaseUrl?: string | undefined;
}

/** The node id imported duties are owned by in the HA database (no node of the set re-signs them). */
export const IMPORTED_NODE_ID = 'interchange-import';

async function withHa<T>(url: string, chainRoot: Hex, fn: (db: HaSigningDatabase) => Promise<T>): Promise<T> {
  const db = await HaSigningDatabase.connect({ url, chainRoot, nodeId: IMPORTED_NODE_ID });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * The slashing protection history of a node, as an interchange document labelled with `chainRoot`: the node store
 * of `dataDirectory` and, with `haDatabaseUrl`, every duty the HA set claimed on this chain (the two are merged;
 * one slot with two digests is `INTERCHANGE_CONFLICT`). `attesters` (a keystore's) each get an entry, signed or
 * not. Reads only: throws `NO_NODE_STORE` when the directory holds no node store (nothing is created) and
 * `NO_SLASHING_HISTORY` when there is nothing at all to export.
 */
export async function exportSlashingProtection(
  sources: string | HistorySources,
  chainRoot: Hex,
  attesters: readonly Address[] = [],
): Promise<SlashingProtectionInterchange> {
  const { dataDirectory, haDatabaseUrl } = typeof sources === 'string' ? { dataDirectory: sources } : sources;
  const records: InterchangeEntry[] = [];
  const where: string[] = [];
  if (dataDirectory !== undefined) {
    const path = nodeStorePath(dataDirectory);
    if (!existsSync(path)) {
      throw new NodeError(
        'NO_NODE_STORE',
        `No node store at ${path}: give the data directory the node ran with (--data-directory / DATA_DIRECTORY)`,
        { path },
      );
    }
    where.push(path);
    const store = await openKvStore({ dataDirectory, name: NODE_STORE_NAME });
    try {
      records.push(...new SlashingProtection(store, chainRoot).records());
    } finally {
      await store.close();
    }
  }
  if (haDatabaseUrl !== undefined) {
    where.push(`the HA signing database ${redactDatabaseUrl(haDatabaseUrl)}`);
    const duties = await withHa(haDatabaseUrl, chainRoot, db => db.duties());
    records.push(
      ...duties.map(d => ({ kind: d.kind, signer: getAddress(d.attester), slot: d.slot, digest: d.digest })),
    );
  }
  if (records.length === 0 && attesters.length === 0) {
    throw new NodeError(
      'NO_SLASHING_HISTORY',
      `No slashing protection history in ${where.join(' or ')}: no validator key has signed a block or an ` +
        'attestation there, so there is nothing to export',
      { where },
    );
  }
  return buildInterchange(chainRoot, records, attesters);
}

/**
 * Merges an interchange document into the node store of `dataDirectory` (created if absent) and, with
 * `haDatabaseUrl`, into the HA signing database (owned there by `interchange-import`, so no node of the set signs
 * those duties again), each atomically. The document is checked first: a malformed one or another chain's
 * (`BAD_INTERCHANGE`) is refused before anything is opened; one that conflicts with a history
 * (`INTERCHANGE_CONFLICT`) writes nothing there (the database is checked before the data directory is written).
 * Returns how many records were new (the larger count of the two places) and what the document held.
 */
export async function importSlashingProtection(
  sources: string | HistorySources,
  chainRoot: Hex,
  doc: unknown,
): Promise<{ added: number; summary: InterchangeSummary }> {
  const { dataDirectory, haDatabaseUrl } = typeof sources === 'string' ? { dataDirectory: sources } : sources;
  const records = parseInterchange(doc, chainRoot);
  let added = 0;
  if (haDatabaseUrl !== undefined) {
    const result = await withHa(haDatabaseUrl, chainRoot, db => db.importDuties(records));
    const first = result.conflicts[0];
    if (first) {
      throw new ValidatorError(
        'INTERCHANGE_CONFLICT',
        `the ${first.kind} of ${first.signer} at slot ${first.slot} is ${
          records.find(r => r.kind === first.kind && r.signer === first.signer && r.slot === first.slot)?.digest
        } in the document but ${first.stored} in the HA signing database (${result.conflicts.length} conflict(s))`,
        { kind: first.kind, signer: first.signer, slot: first.slot, existing: first.stored },
      );
    }
    added = result.added;
  }
  if (dataDirectory !== undefined) {
    const store = await openKvStore({ dataDirectory, name: NODE_STORE_NAME });
    try {
      added = Math.max(added, new SlashingProtection(store, chainRoot).importInterchange(doc));
    } finally {
      await store.close();
    }
  }
  return { added, summary: summarizeInterchange(records) };
}
