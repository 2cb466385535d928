import { sha256ToField } from '../../foundation/crypto/index.js';
import { frFromBuffer, frToBuffer, type Fr } from '../../types/index.js';
import { L1_TO_L2_MSGS_PER_BLOCK } from '../../world-state/types.js';
import { BlockBuilderError } from './errors.js';

/** Height of a block's L1→L2 message tree (16 leaves). */
export const L1_TO_L2_MSG_SUBTREE_HEIGHT = 4;

/** A block's L1→L2 messages zero-padded to 16; throws `TOO_MANY_L1_TO_L2_MESSAGES` beyond 16. */
export function padL1ToL2Messages(leaves: readonly Fr[]): Fr[] {
  if (leaves.length > L1_TO_L2_MSGS_PER_BLOCK) {
    throw new BlockBuilderError(
      'TOO_MANY_L1_TO_L2_MESSAGES',
      `${leaves.length} L1→L2 messages given, a block takes at most ${L1_TO_L2_MSGS_PER_BLOCK}`,
      { count: leaves.length },
    );
  }
  return [...leaves, ...new Array<Fr>(L1_TO_L2_MSGS_PER_BLOCK - leaves.length).fill(0n as Fr)];
}

/**
 * `contentCommitment.inHash`: root of the block's 16 L1→L2 messages (zero-padded) as a height-4 sha256ToField tree,
 * the same value as `Inbox.getRoot(blockNumber)` (no messages: the empty height-4 root, `zeroHashes(4)[4]`).
 */
export function computeInHash(leaves: readonly Fr[]): Fr {
  const padded = padL1ToL2Messages(leaves);
  let level = padded.map(frToBuffer);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256ToField(level[i]!, level[i + 1]!));
    level = next;
  }
  return frFromBuffer(level[0]!);
}
