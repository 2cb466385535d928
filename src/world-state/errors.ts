import { NodeError } from '../foundation/errors/index.js';

/** Why a world-state operation was refused. */
export type WorldStateErrorCode =
  /** A nullifier is already in the tree (or twice in one batch): the block or tx is invalid. */
  | 'DUPLICATE_NULLIFIER'
  /** A block applied by `prepareBlock` does not produce the state, archive or block number its header claims. */
  | 'BLOCK_MISMATCH'
  /** A historical read asked for a block beyond the tip or older than the history window. */
  | 'BLOCK_NOT_AVAILABLE'
  /** A fork was committed at a block number other than the one after its base, or was incomplete. */
  | 'BAD_BLOCK_NUMBER'
  /** More than 16 L1→L2 messages, or the messages of a block appended twice. */
  | 'BAD_L1_TO_L2_MESSAGES'
  /** The committed state changed since the fork was made (another fork was committed, or an unwind ran). */
  | 'STALE_FORK'
  /** The fork was committed-and-aborted or discarded. */
  | 'FORK_CLOSED'
  /** The data directory holds a world state built on another genesis. */
  | 'GENESIS_MISMATCH'
  /** A bad option of `createWorldState`. */
  | 'BAD_OPTION'
  /** The trees disagree about the latest block: the data directory is damaged. */
  | 'CORRUPT';

/** A typed error of the world state (`src/world-state`). */
export class WorldStateError extends NodeError {
  constructor(
    override readonly code: WorldStateErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}
