import { NodeError } from '../foundation/errors/index.js';

/**
 * Why the archiver could not take a block or message from L1:
 * - `ARCHIVER_INVALID_BLOCK`: the proposal on L1 cannot be turned into a valid block (undecodable header or body,
 *   blobs that do not match the header, no `propose` call in the L1 transaction). The block is skipped and logged;
 *   L1 will prune it, since no proof can cover it.
 * - `ARCHIVER_BLOCK_REJECTED`: the world state refused a block (`BLOCK_MISMATCH` …). The archiver stops at it.
 * - `ARCHIVER_MISSING_MESSAGES`: the L1→L2 messages stored for a block do not hash to its `inHash`.
 * - `ARCHIVER_BAD_ROLLBACK`: `rollbackTo` was asked for a block the archiver does not have.
 */
export type ArchiverErrorCode =
  'ARCHIVER_INVALID_BLOCK' | 'ARCHIVER_BLOCK_REJECTED' | 'ARCHIVER_MISSING_MESSAGES' | 'ARCHIVER_BAD_ROLLBACK';

/** A typed archiver failure; `context` names the L2 block and the L1 transaction when there is one. */
export class ArchiverError extends NodeError {
  declare readonly code: ArchiverErrorCode;

  constructor(code: ArchiverErrorCode, message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, context, cause === undefined ? undefined : { cause });
  }
}

/** Whether an L1 RPC failure looks like rate limiting (HTTP 429 or a provider's "rate limit" message). */
export function isRateLimitError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const status = (e as { status?: unknown }).status;
    if (status === 429) return true;
    if (/\b429\b|rate.?limit|too many requests|exceeded.*(quota|capacity)/i.test(e.message)) return true;
  }
  return false;
}

/**
 * Why a blob source did not serve a block's blobs (the archiver then tries the next source):
 * - `BLOB_ARCHIVE_MISSING`: a `BLOB_ARCHIVE_URLS` archive has no file for one of the blobs.
 * - `BLOB_ARCHIVE_BAD_BLOB`: an archive's blob does not commit to the versioned hash L1 recorded.
 * - `BLOB_ARCHIVE_UNAVAILABLE`: an archive answered with an HTTP error.
 * - `BLOB_PEERS_UNAVAILABLE`: no connected peer served a body matching L1's versioned hashes.
 * - `BLOBS_UNAVAILABLE`: no source at all served them (the message lists each source's reason).
 */
export type BlobSourceErrorCode =
  | 'BLOB_ARCHIVE_MISSING'
  | 'BLOB_ARCHIVE_BAD_BLOB'
  | 'BLOB_ARCHIVE_UNAVAILABLE'
  | 'BLOB_PEERS_UNAVAILABLE'
  | 'BLOBS_UNAVAILABLE';

/** A blob source failure; `context` names the source. */
export class BlobSourceError extends NodeError {
  declare readonly code: BlobSourceErrorCode;

  constructor(code: BlobSourceErrorCode, message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, context, cause === undefined ? undefined : { cause });
  }
}
