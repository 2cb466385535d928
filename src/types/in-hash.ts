import { sha256ToField } from '../foundation/crypto/index.js';
import { NodeError } from '../foundation/errors/index.js';
import { FR_ZERO, frFromBuffer, frToBuffer, type Fr } from './fr.js';

/** L1→L2 messages per L2 block: the Inbox's per-block tree has height 4. */
export const L1_TO_L2_MSGS_PER_BLOCK = 16;
/** Height of a block's L1→L2 message tree. */
export const L1_TO_L2_MSG_SUBTREE_HEIGHT = 4;

/** A block's L1→L2 messages zero-padded to 16; throws `TOO_MANY_L1_TO_L2_MESSAGES` when there are more. */
export function padL1ToL2Messages(leaves: readonly Fr[]): Fr[] {
  if (leaves.length > L1_TO_L2_MSGS_PER_BLOCK) {
    throw new NodeError(
      'TOO_MANY_L1_TO_L2_MESSAGES',
      `A block has at most ${L1_TO_L2_MSGS_PER_BLOCK} L1→L2 messages, got ${leaves.length}`,
      { count: leaves.length },
    );
  }
  return [...leaves, ...new Array<Fr>(L1_TO_L2_MSGS_PER_BLOCK - leaves.length).fill(FR_ZERO)];
}

/**
 * `contentCommitment.inHash`: root of the block's 16 L1→L2 messages (zero-padded) as a height-4 sha256ToField tree,
 * the same value as `Inbox.getRoot(blockNumber)` (no messages: the empty height-4 root, `zeroHashes(4)[4]`).
 */
export function computeInHash(leaves: readonly Fr[]): Fr {
  let level = padL1ToL2Messages(leaves).map(frToBuffer);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256ToField(level[i]!, level[i + 1]!));
    level = next;
  }
  return frFromBuffer(level[0]!);
}
