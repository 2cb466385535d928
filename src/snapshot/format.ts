import { z } from 'zod';

/** Version of the snapshot layout below; an importer refuses others. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/** The index's file name in a snapshot directory. */
export const SNAPSHOT_INDEX_FILE = 'index.json';

/** The one data file: the node store's LMDB environment (data.mdb), compacted and gzip-compressed. */
export const SNAPSHOT_DATA_FILE = 'node.mdb.gz';

/**
 * The maps of the node store a snapshot carries: the archiver's and the world state's. Everything else (tx pool,
 * slashing protection history, published slots) is the exporting node's own business and is left out.
 */
export function isSnapshotMap(name: string): boolean {
  return name.startsWith('archiver_') || name.startsWith('merkle:world-state.') || name.startsWith('world-state:');
}

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);

/** `index.json`: what the snapshot claims, and the sha256 of each file. Checked before use (src/snapshot/verify.ts). */
export const snapshotIndexSchema = z.object({
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  l1ChainId: z.number().int().positive(),
  rollupAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  blockNumber: z.number().int().nonnegative(),
  archiveRoot: hex32,
  stateRoots: z.object({ noteHash: hex32, nullifier: hex32, publicData: hex32, l1ToL2Message: hex32 }),
  createdAt: z.string(),
  files: z
    .array(
      z.object({
        name: z.string().regex(/^[A-Za-z0-9._-]+$/),
        bytes: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    )
    .min(1),
});

/** A parsed snapshot index. */
export type SnapshotIndex = z.infer<typeof snapshotIndexSchema>;
