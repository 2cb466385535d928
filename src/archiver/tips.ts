import { asL2BlockNumber } from '../foundation/types/branded.js';
import type { RollupTips } from './block-sync.js';
import type { SyncContext } from './context.js';

/**
 * After a full scan to the L1 head the tips were read at: a pending tip below our latest block means L1 pruned the
 * unproven blocks (unwind to it); then records the proven tip and the finalized one (the proven tip as of L1's
 * `finalized` block) when `readFinalized`.
 */
export async function updateTips(
  ctx: SyncContext,
  tips: RollupTips,
  opts: { readFinalized: boolean } = { readFinalized: true },
): Promise<void> {
  const latest = ctx.store.getLatestBlockNumber();
  if (tips.pending < latest) {
    ctx.log.warn(`L2 chain pruned: unwinding from block ${latest} to block ${tips.pending}`, {
      proven: tips.proven,
    });
    ctx.unwind(tips.pending, 'l2-prune');
  }
  const proven = ctx.store.getProvenBlockNumber();
  if (tips.proven !== proven) {
    ctx.store.setProvenBlockNumber(tips.proven);
    ctx.log.verbose(`Proven L2 block ${tips.proven}`, { previous: proven });
    ctx.emit({ type: 'chain-proven', blockNumber: asL2BlockNumber(tips.proven) });
  }
  if (!opts.readFinalized) return;
  const finalized = await ctx.reader.getFinalizedProven();
  if (finalized !== undefined && finalized !== ctx.store.getFinalizedBlockNumber()) {
    ctx.store.setFinalizedBlockNumber(finalized);
    ctx.emit({ type: 'chain-finalized', blockNumber: asL2BlockNumber(finalized) });
  }
}
