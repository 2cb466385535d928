import { existsSync } from 'node:fs';

import type { Hex } from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import { openKvStore } from '../kv/index.js';
import {
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

/**
 * The slashing protection history of the node whose data directory is `dataDirectory`, as an interchange document
 * labelled with `chainRoot`. Reads only: throws `NO_NODE_STORE` when the directory holds no node store (nothing is
 * created) and `NO_SLASHING_HISTORY` when the store has no signed record.
 */
export async function exportSlashingProtection(
  dataDirectory: string,
  chainRoot: Hex,
): Promise<SlashingProtectionInterchange> {
  const path = nodeStorePath(dataDirectory);
  if (!existsSync(path)) {
    throw new NodeError(
      'NO_NODE_STORE',
      `No node store at ${path}: give the data directory the node ran with (--data-directory / DATA_DIRECTORY)`,
      { path },
    );
  }
  const store = await openKvStore({ dataDirectory, name: NODE_STORE_NAME });
  try {
    const doc = new SlashingProtection(store, chainRoot).exportInterchange();
    if (doc.data.length === 0) {
      throw new NodeError(
        'NO_SLASHING_HISTORY',
        `No slashing protection history in ${path}: no validator key has signed a block or an attestation with ` +
          'this data directory, so there is nothing to export',
        { path },
      );
    }
    return doc;
  } finally {
    await store.close();
  }
}

/**
 * Merges an interchange document into the node store of `dataDirectory` (created if absent), atomically. The
 * document is checked first: a malformed one or another chain's (`BAD_INTERCHANGE`) is refused before the store
 * is opened, and one that conflicts with the history (`INTERCHANGE_CONFLICT`) writes nothing. Returns how many
 * records were new and what the document held.
 */
export async function importSlashingProtection(
  dataDirectory: string,
  chainRoot: Hex,
  doc: unknown,
): Promise<{ added: number; summary: InterchangeSummary }> {
  const records = parseInterchange(doc, chainRoot);
  const store = await openKvStore({ dataDirectory, name: NODE_STORE_NAME });
  try {
    const added = new SlashingProtection(store, chainRoot).importInterchange(doc);
    return { added, summary: summarizeInterchange(records) };
  } finally {
    await store.close();
  }
}
