import { NodeError } from '../foundation/errors/index.js';

/**
 * The checks a snapshot passes before a node uses it (docs/snapshots.md), in order. The name is what the log and
 * the error carry when one fails.
 */
export const SNAPSHOT_CHECKS = [
  'download',
  'sha256',
  'index',
  'tree-nodes',
  'l1-archive',
  'world-state-roots',
  'archive-leaves',
] as const;
export type SnapshotCheck = (typeof SNAPSHOT_CHECKS)[number];

/** A snapshot that could not be fetched or failed a check: `check` names which. */
export class SnapshotCheckError extends NodeError {
  constructor(
    readonly check: SnapshotCheck,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(`SNAPSHOT_${check.toUpperCase().replace(/-/g, '_')}`, message, { check, ...context }, options);
  }
}

/** An export that cannot run: the store is in use, absent, or not at a block. */
export class SnapshotExportError extends NodeError {}
