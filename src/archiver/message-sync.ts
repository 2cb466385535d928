import { frFromHex, type Fr } from '../types/fr.js';
import { computeInHash } from '../types/in-hash.js';
import { initialSyncPoint, type SyncContext } from './context.js';
import { ArchiverError } from './errors.js';

/**
 * Scans the Inbox's `MessageSent` logs from the messages sync point to `head` in batches, storing each batch and the
 * new sync point (with the hash of its L1 block, read before the logs so that a reorg in between is caught by the
 * next reorg check) in one transaction.
 */
export async function syncMessages(ctx: SyncContext, head: bigint): Promise<void> {
  const point = ctx.store.getMessagesSyncPoint() ?? initialSyncPoint(ctx);
  for (let from = point.l1BlockNumber + 1n; from <= head && !ctx.stopping();) {
    const to = from + BigInt(ctx.batchSize) - 1n < head ? from + BigInt(ctx.batchSize) - 1n : head;
    const toBlock = await ctx.reader.getBlock(to);
    if (!toBlock) throw new Error(`L1 block ${to} is gone (L1 reorg in progress); retrying`);
    const logs = await ctx.reader.getMessageLogs(from, to);
    ctx.store.transactionSync(() => {
      ctx.store.addL1ToL2Messages(logs.map(l => ({ ...l, leaf: frFromHex(l.leaf) })));
      ctx.store.setMessagesSyncPoint({ l1BlockNumber: to, l1BlockHash: toBlock.hash });
    });
    if (logs.length > 0) ctx.log.debug('Stored L1 to L2 messages', { count: logs.length, l1From: from, l1To: to });
    from = to + 1n;
  }
}

/** The 16 message leaves of block `n`, checked against its `inHash`; throws `ARCHIVER_MISSING_MESSAGES` otherwise. */
export function messagesForBlock(ctx: SyncContext, blockNumber: bigint, inHash: Fr): Fr[] {
  const leaves = ctx.store.getL1ToL2Messages(blockNumber);
  if (computeInHash(leaves) !== inHash) {
    // Our Inbox copy is incomplete or stale: scan it again from the start (message writes are idempotent).
    ctx.store.setMessagesSyncPoint(initialSyncPoint(ctx));
    throw new ArchiverError(
      'ARCHIVER_MISSING_MESSAGES',
      `the L1 to L2 messages stored for block ${blockNumber} do not match its inHash; rescanning the Inbox`,
      { blockNumber },
    );
  }
  return leaves;
}
