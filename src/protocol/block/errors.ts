import { NodeError } from '../../foundation/errors/index.js';

/** Why a block could not be built (bad inputs from the caller, not bad txs: those are skipped). */
export type BlockBuilderErrorCode =
  /** More than 16 L1→L2 messages were given for one block. */
  | 'TOO_MANY_L1_TO_L2_MESSAGES'
  /** The fork's archive is not the `lastArchive` the caller expected to build on. */
  | 'LAST_ARCHIVE_MISMATCH'
  /** `globals.blockNumber` is not the block after the fork's base. */
  | 'BLOCK_NUMBER_MISMATCH'
  /** A limit option is out of range. */
  | 'BAD_LIMIT';

/** A typed error of the block builder. */
export class BlockBuilderError extends NodeError {
  constructor(
    override readonly code: BlockBuilderErrorCode,
    message: string,
    context: Record<string, unknown> = {},
  ) {
    super(code, message, context);
  }
}
