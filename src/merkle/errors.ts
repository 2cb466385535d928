import { NodeError } from '../foundation/errors/index.js';

/** Why a Merkle tree operation was refused. */
export type MerkleErrorCode =
  | 'MERKLE_BAD_OPTION'
  | 'MERKLE_BAD_VERSION'
  | 'MERKLE_VERSION_AHEAD'
  | 'MERKLE_VERSION_PRUNED'
  | 'MERKLE_INDEX_OUT_OF_RANGE'
  | 'MERKLE_TREE_FULL'
  | 'MERKLE_BAD_LEAF'
  | 'MERKLE_DUPLICATE_KEY'
  | 'MERKLE_STALE_FORK'
  | 'MERKLE_FORK_CLOSED'
  | 'MERKLE_CORRUPT';

/** A typed error of the Merkle trees (`src/merkle`). */
export class MerkleError extends NodeError {
  constructor(
    override readonly code: MerkleErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}
