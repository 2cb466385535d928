import { errorMessage } from '../foundation/errors/index.js';
import { frToHex } from '../types/fr.js';
import type { WorldStateFork } from '../world-state/types.js';
import { retrieveBlock } from './block-retriever.js';
import { initialSyncPoint, type SyncContext } from './context.js';
import { ArchiverError } from './errors.js';
import type { L1BlockInfo, ProposedLog } from './l1-reader.js';
import { messagesForBlock } from './message-sync.js';
import type { PublishedL2Block } from './types.js';

/** Blocks downloaded at once while catching up (each is a transaction and a beacon request or two), at least. */
const DOWNLOAD_CONCURRENCY = 8;

/** The rollup's tips as of the L1 head being synced to. */
export interface RollupTips {
  pending: bigint;
  proven: bigint;
}

/**
 * Scans `L2BlockProposed` from the blocks sync point to `head` in batches of `batchSize` L1 blocks and applies each
 * new block in order. Blocks already stored are skipped; a block re-proposed under a stored number (a prune we had
 * not seen yet) unwinds to the block before it; blocks above `tips.pending` were pruned by `head` and are not
 * downloaded. Each block is committed with its tx index, the sync point and the world state in one transaction.
 *
 * Pipelined: up to `DOWNLOAD_CONCURRENCY` blocks (or twice the blob verifier's threads) are fetched and verified at
 * once, and the next batch's logs are read and its downloads started while this batch is applied, so that fetching
 * blocks k+1… overlaps verifying and applying block k. Blocks are still applied strictly in order.
 */
export async function syncBlocks(ctx: SyncContext, head: bigint, tips: RollupTips): Promise<void> {
  const point = ctx.store.getBlocksSyncPoint() ?? initialSyncPoint(ctx);
  const limit = concurrencyLimit(Math.max(DOWNLOAD_CONCURRENCY, 2 * ctx.blobVerifier.threads));
  const first = point.l1BlockNumber + 1n;
  let next = first <= head ? quiet(readBatch(ctx, first, head, tips, limit)) : undefined;
  while (next && !ctx.stopping()) {
    const batch = await next;
    if (!batch) break;
    next = batch.to < head ? quiet(readBatch(ctx, batch.to + 1n, head, tips, limit)) : undefined;
    for (const log of batch.live) {
      if (ctx.stopping()) break;
      await applyLog(ctx, log, tips, () => batch.downloads.get(log) ?? download(ctx, log, batch.l1Blocks));
    }
    if (ctx.stopping()) break;
    ctx.store.setBlocksSyncPoint({ l1BlockNumber: batch.to, l1BlockHash: batch.toBlock.hash });
  }
}

/** One batch of L1 blocks: its last block, its live logs and the downloads already started for them. */
interface Batch {
  to: bigint;
  toBlock: L1BlockInfo;
  live: ProposedLog[];
  l1Blocks: L1Blocks;
  downloads: Map<ProposedLog, Promise<Downloaded>>;
}

/** Reads the logs of `[from, from + batchSize - 1]` (capped at `head`) and starts downloading its new blocks. */
async function readBatch(
  ctx: SyncContext,
  from: bigint,
  head: bigint,
  tips: RollupTips,
  limit: Limit,
): Promise<Batch | undefined> {
  const to = from + BigInt(ctx.batchSize) - 1n < head ? from + BigInt(ctx.batchSize) - 1n : head;
  // Read before the logs: if L1 reorgs in between, the next reorg check sees this hash is gone.
  const toBlock = await ctx.reader.getBlock(to);
  if (!toBlock) throw new Error(`L1 block ${to} is gone (L1 reorg in progress); retrying`);
  const logs = await ctx.reader.getProposedLogs(from, to);
  // Read ahead while the archiver was stopping: the store may be closed by now.
  if (ctx.stopping()) return undefined;
  const l1Blocks = new L1Blocks(ctx);
  const live = logs.filter((log, i) => !supersededInBatch(logs, i));
  // Download the batch's new blocks concurrently; they are applied strictly in order by the caller.
  const downloads = new Map<ProposedLog, Promise<Downloaded>>();
  for (const log of live) {
    if (log.blockNumber <= tips.pending && !isStored(ctx, log))
      downloads.set(log, quiet(limit(() => download(ctx, log, l1Blocks))));
  }
  return { to, toBlock, live, l1Blocks, downloads };
}

/** L1 block headers of one batch, fetched once each and checked against the logs' block hashes. */
class L1Blocks {
  private readonly blocks = new Map<bigint, Promise<L1BlockInfo>>();

  constructor(private readonly ctx: SyncContext) {}

  get(log: ProposedLog): Promise<L1BlockInfo> {
    let block = this.blocks.get(log.l1BlockNumber);
    if (!block) {
      block = this.ctx.reader.getBlock(log.l1BlockNumber).then(b => {
        if (!b || b.hash !== log.l1BlockHash) {
          throw new Error(`L1 block ${log.l1BlockNumber} changed while syncing (L1 reorg); retrying`);
        }
        return b;
      });
      this.blocks.set(log.l1BlockNumber, block);
    }
    return block;
  }
}

type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `n` of the given tasks at a time, in the order they were given. */
function concurrencyLimit(n: number): Limit {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>(resolve => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** A later log of the batch re-proposed this block number (or a lower one): a prune happened in between. */
function supersededInBatch(logs: readonly ProposedLog[], i: number): boolean {
  const n = logs[i]!.blockNumber;
  return logs.slice(i + 1).some(later => later.blockNumber <= n);
}

interface Downloaded {
  published: PublishedL2Block;
  l1Block: L1BlockInfo;
}

function download(ctx: SyncContext, log: ProposedLog, l1Blocks: L1Blocks): Promise<Downloaded> {
  return quiet(
    l1Blocks.get(log).then(async l1Block => ({
      published: await retrieveBlock(log, l1Block, ctx.reader, ctx.blobSource, ctx.blobVerifier),
      l1Block,
    })),
  );
}

/**
 * Marks a download's failure as handled: it is awaited (and its error reported) in order by `applyLog`, or not at all
 * when the batch ends early (stop, an earlier block failing); either way it must not surface as an unhandled rejection.
 */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

function isStored(ctx: SyncContext, log: ProposedLog): boolean {
  const archive = ctx.store.getArchiveRoot(log.blockNumber);
  return archive !== undefined && frToHex(archive) === log.archive.toLowerCase();
}

async function applyLog(
  ctx: SyncContext,
  log: ProposedLog,
  tips: RollupTips,
  download: () => Promise<Downloaded>,
): Promise<void> {
  const n = log.blockNumber;
  if (isStored(ctx, log)) return;
  if (n > tips.pending) {
    ctx.log.debug(`Skipping L2 block ${n}: pruned from L1 since`, { l1TxHash: log.l1TxHash, pending: tips.pending });
    return;
  }
  let latest = ctx.store.getLatestBlockNumber();
  if (n <= latest) {
    ctx.log.warn(`L2 chain pruned: block ${n} was proposed again, unwinding to block ${n - 1n}`, {
      latest,
      l1Block: log.l1BlockNumber,
    });
    ctx.unwind(n - 1n, 'l2-prune');
    latest = ctx.store.getLatestBlockNumber();
  }
  if (n > latest + 1n) {
    ctx.log.warn(`Skipping L2 block ${n}: it builds on block ${n - 1n}, which this node could not accept`, {
      latest,
      l1TxHash: log.l1TxHash,
    });
    return;
  }

  let downloaded: Downloaded;
  try {
    downloaded = await download();
  } catch (err) {
    if (err instanceof ArchiverError && err.code === 'ARCHIVER_INVALID_BLOCK') {
      ctx.log.error(`Skipping invalid L2 block ${n} from L1 tx ${log.l1TxHash}: ${errorMessage(err.cause ?? err)}`, {
        ...err.context,
        reason: err.message,
      });
      return;
    }
    throw err;
  }
  const { published, l1Block } = downloaded;
  const { block } = published;
  const messages = messagesForBlock(ctx, n, block.header.contentCommitment.inHash);
  let fork: WorldStateFork | undefined;
  try {
    fork = ctx.worldState?.prepareBlock(block, messages);
  } catch (err) {
    const where = { blockNumber: n, l1TxHash: log.l1TxHash, l1Block: log.l1BlockNumber };
    throw new ArchiverError(
      'ARCHIVER_BLOCK_REJECTED',
      `the world state rejected L2 block ${n} from L1 tx ${log.l1TxHash}: ${errorMessage(err)}; the archiver will not ` +
        'advance past it until L1 prunes it',
      where,
      err,
    );
  }
  const endCommit = ctx.metrics?.commit.startTimer();
  try {
    ctx.store.transactionSync(() => {
      ctx.store.addBlock(published);
      // Up to the block before: other L2 blocks of the same L1 block are rescanned (and skipped) after a crash.
      ctx.store.setBlocksSyncPoint({ l1BlockNumber: l1Block.number - 1n, l1BlockHash: l1Block.parentHash });
      fork?.commitSync(n);
    });
    endCommit?.();
  } catch (err) {
    fork?.discard();
    throw err;
  }
  ctx.log.info(`Downloaded L2 block ${n}`, {
    l1Block: published.l1.l1BlockNumber,
    txs: block.body.length,
    l1TxHash: published.l1.l1TxHash,
    blockHash: frToHex(published.headerHash),
    slot: block.header.globalVariables.slotNumber,
    attestations: published.l1.attestations,
  });
  ctx.emit({ type: 'blocks-added', blocks: [published] });
  ctx.progress.blockAdded(n);
}
