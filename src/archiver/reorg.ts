import type { Hash } from 'viem';

import { initialSyncPoint, type SyncContext } from './context.js';
import type { L1SyncPoint } from './types.js';

/** Canonical L1 block hashes, read once per check. */
class CanonicalHashes {
  private readonly cache = new Map<bigint, Hash | undefined>();

  constructor(private readonly ctx: SyncContext) {}

  async is(l1BlockNumber: bigint, hash: Hash | undefined): Promise<boolean> {
    if (hash === undefined) return true;
    if (!this.cache.has(l1BlockNumber))
      this.cache.set(l1BlockNumber, (await this.ctx.reader.getBlock(l1BlockNumber))?.hash);
    return this.cache.get(l1BlockNumber) === hash;
  }
}

/**
 * Detects an L1 reorg under what the archiver stored: the blocks sync point and the latest block's L1 block must still
 * have the hashes recorded for them, likewise the messages sync point. When one is gone, walks the stored blocks
 * (messages) down to the newest one whose L1 block is still canonical, unwinds the store and the world state to it and
 * moves the sync point there, so the next scan fetches the new branch. Returns whether anything was unwound.
 */
export async function handleL1Reorg(ctx: SyncContext): Promise<boolean> {
  const canonical = new CanonicalHashes(ctx);
  const blocks = await handleBlocksReorg(ctx, canonical);
  const messages = await handleMessagesReorg(ctx, canonical);
  return blocks || messages;
}

async function handleBlocksReorg(ctx: SyncContext, canonical: CanonicalHashes): Promise<boolean> {
  const point = ctx.store.getBlocksSyncPoint();
  const [latest] = ctx.store.publishedBlocksDescending();
  const pointOk = !point || (await canonical.is(point.l1BlockNumber, point.l1BlockHash));
  const latestOk = !latest || (await canonical.is(latest.l1.l1BlockNumber, latest.l1.l1BlockHash));
  if (pointOk && latestOk) return false;

  let keep = 0n;
  let keepPoint: L1SyncPoint = initialSyncPoint(ctx);
  for (const { blockNumber, l1 } of ctx.store.publishedBlocksDescending()) {
    if (await canonical.is(l1.l1BlockNumber, l1.l1BlockHash)) {
      keep = blockNumber;
      keepPoint = { l1BlockNumber: l1.l1BlockNumber, l1BlockHash: l1.l1BlockHash };
      break;
    }
  }
  ctx.log.warn(
    `L1 reorg detected: unwinding to L2 block ${keep} and rescanning from L1 block ${keepPoint.l1BlockNumber + 1n}`,
    {
      latest: latest?.blockNumber ?? 0n,
      lostL1Block: point?.l1BlockNumber,
    },
  );
  ctx.unwind(keep, 'l1-reorg', keepPoint);
  return true;
}

async function handleMessagesReorg(ctx: SyncContext, canonical: CanonicalHashes): Promise<boolean> {
  const point = ctx.store.getMessagesSyncPoint();
  if (!point || (await canonical.is(point.l1BlockNumber, point.l1BlockHash))) return false;

  let keepPoint: L1SyncPoint = initialSyncPoint(ctx);
  for (const m of ctx.store.messagesDescending()) {
    if (await canonical.is(m.l1BlockNumber, m.l1BlockHash)) {
      keepPoint = { l1BlockNumber: m.l1BlockNumber, l1BlockHash: m.l1BlockHash };
      break;
    }
  }
  const removed = ctx.store.transactionSync(() => {
    const n = ctx.store.removeL1ToL2MessagesAfter(keepPoint.l1BlockNumber);
    ctx.store.setMessagesSyncPoint(keepPoint);
    return n;
  });
  ctx.log.warn(`L1 reorg detected: removed ${removed} L1 to L2 messages, rescanning the Inbox`, {
    fromL1Block: keepPoint.l1BlockNumber + 1n,
  });
  return true;
}
