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
const DOWNLOAD_CONCURRENCY = 32;

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
 * blocks k+1… overlaps verifying and applying block k. Blocks are still applied strictly in order; consecutive blocks
 * already downloaded are committed together, in one transaction (see `commitRun`).
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
    for (let i = 0; i < batch.live.length;) {
      if (ctx.stopping()) break;
      const log = batch.live[i]!;
      // Wait for this block's download; then it and every following block downloaded meanwhile are committed at once.
      const pending = batch.downloads.get(log);
      if (pending && !batch.ready.has(log)) await pending.then(noop, noop);
      if (ctx.stopping()) break;
      const run = readyRun(ctx, batch, i, tips);
      if (run.length > 0) {
        commitRun(ctx, run);
        i += run.length;
        continue;
      }
      i++;
      await applyLog(ctx, log, tips, () => pending ?? download(ctx, log, batch.l1Blocks));
    }
    if (ctx.stopping()) break;
    ctx.store.setBlocksSyncPoint({ l1BlockNumber: batch.to, l1BlockHash: batch.toBlock.hash });
  }
}

const noop = (): void => {};

/** One batch of L1 blocks: its last block, its live logs and the downloads already started for them. */
interface Batch {
  to: bigint;
  toBlock: L1BlockInfo;
  live: ProposedLog[];
  l1Blocks: L1Blocks;
  downloads: Map<ProposedLog, Promise<Downloaded>>;
  /** The downloads that succeeded already. */
  ready: Map<ProposedLog, Downloaded>;
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
  const ready = new Map<ProposedLog, Downloaded>();
  for (const log of live) {
    if (log.blockNumber <= tips.pending && !isStored(ctx, log)) {
      const p = quiet(limit(() => download(ctx, log, l1Blocks)));
      p.then(d => ready.set(log, d)).catch(() => {});
      downloads.set(log, p);
    }
  }
  return { to, toBlock, live, l1Blocks, downloads, ready };
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
  // The L1 header and the transaction are read at once; the blobs need the header.
  const l1Block = quiet(l1Blocks.get(log));
  return quiet(
    retrieveBlock(log, l1Block, ctx.reader, ctx.blobSource, ctx.blobVerifier).then(
      async published => ({ published, l1Block: await l1Block }),
      async (err: unknown) => {
        await l1Block; // an L1 reorg seen in the header is the error to report, not what the tx led to
        throw err;
      },
    ),
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

/** Most blocks committed in one store transaction while catching up. */
const MAX_RUN = 64;

/**
 * The logs from `i` on that are plain appends (the next block numbers, not stored, not pruned) whose downloads have
 * succeeded already: they can be applied and committed together without waiting for anything.
 */
function readyRun(ctx: SyncContext, batch: Batch, i: number, tips: RollupTips): { log: ProposedLog; d: Downloaded }[] {
  const run: { log: ProposedLog; d: Downloaded }[] = [];
  let next = ctx.store.getLatestBlockNumber() + 1n;
  for (let j = i; j < batch.live.length && run.length < MAX_RUN; j++, next++) {
    const log = batch.live[j]!;
    const d = batch.ready.get(log);
    if (!d || log.blockNumber !== next || log.blockNumber > tips.pending || isStored(ctx, log)) break;
    run.push({ log, d });
  }
  return run;
}

function rejected(log: ProposedLog, err: unknown): ArchiverError {
  const n = log.blockNumber;
  return new ArchiverError(
    'ARCHIVER_BLOCK_REJECTED',
    `the world state rejected L2 block ${n} from L1 tx ${log.l1TxHash}: ${errorMessage(err)}; the archiver will not ` +
      'advance past it until L1 prunes it',
    { blockNumber: n, l1TxHash: log.l1TxHash, l1Block: log.l1BlockNumber },
    err,
  );
}

/**
 * Applies a run of consecutive downloaded blocks and commits them in one store transaction (one disk sync instead of
 * one a block, the main cost of near-empty blocks), each exactly as `applyLog` would. A block the world state rejects
 * ends the run: the blocks before it are committed, then its `ARCHIVER_BLOCK_REJECTED` is thrown.
 */
function commitRun(ctx: SyncContext, run: readonly { log: ProposedLog; d: Downloaded }[]): void {
  const committed: PublishedL2Block[] = [];
  let refusal: ArchiverError | undefined;
  const endCommit = ctx.metrics?.commit.startTimer();
  ctx.store.transactionSync(() => {
    for (const { log, d } of run) {
      const n = log.blockNumber;
      const { published, l1Block } = d;
      const messages = messagesForBlock(ctx, n, published.block.header.contentCommitment.inHash);
      let fork: WorldStateFork | undefined;
      try {
        fork = ctx.worldState?.prepareBlock(published.block, messages);
      } catch (err) {
        refusal = rejected(log, err);
        break;
      }
      try {
        ctx.store.addBlock(published);
        ctx.store.setBlocksSyncPoint({ l1BlockNumber: l1Block.number - 1n, l1BlockHash: l1Block.parentHash });
        fork?.commitSync(n);
      } catch (err) {
        fork?.discard();
        throw err;
      }
      committed.push(published);
    }
  });
  endCommit?.();
  ctx.log.debug(`Committed ${committed.length} L2 blocks in one transaction`, { from: run[0]!.log.blockNumber });
  for (const published of committed) added(ctx, published);
  if (refusal) throw refusal;
}

/** Logs, announces and counts a committed block. */
function added(ctx: SyncContext, published: PublishedL2Block): void {
  const { block } = published;
  const n = block.header.globalVariables.blockNumber;
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
    throw rejected(log, err);
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
  added(ctx, published);
}
