import { computeFee, type Fr, type Tx } from '../../types/index.js';
import type { WorldState } from '../../world-state/types.js';
import type { TxRejection } from './rejection.js';
import { checkTxStateless, computeGasUsed } from './rules.js';
import { runTxOnState, type TxStateContext, type TxStateView } from './state.js';

/**
 * What the pool checks txs against, besides the world state. Not base fees: base fees move with L1, so a tx whose
 * max fees are below them waits in the pool, and the block builder leaves it out until they cover them.
 */
export type PoolValidationContext = TxStateContext;

/** The committed (latest) world state as the state rules read it. */
export function latestStateView(ws: WorldState): TxStateView {
  return {
    hasNullifier: n => ws.getNullifierWitness(n) !== undefined,
    readPublicData: slot => ws.getPublicStorageAt(slot),
    getL1ToL2MessageLeaf: index => {
      try {
        return ws.getLeaf('l1ToL2Message', index);
      } catch {
        return 0n as Fr; // beyond the tree's size: not there yet
      }
    },
  };
}

/**
 * Pool admission, without state: the block builder's stateless checks for the next block, with the worst-case gas
 * (a fee recipient distinct from every touched account).
 */
export function checkTxForNextBlock(
  tx: Tx,
  nextBlockNumber: bigint,
  ctx: PoolValidationContext,
): Promise<TxRejection | undefined> {
  const target = { chainId: ctx.l1ChainId, version: ctx.version, blockNumber: nextBlockNumber };
  return checkTxStateless(tx, target, computeGasUsed(tx));
}

/**
 * Pool admission against the latest world state: the same state rules the builder runs (`runTxOnState`), charging
 * the most the tx can cost (`gasLimits · maxFeesPerGas`), so a tx the pool holds can pay at any base fee it
 * accepts. Returns the nullifiers the tx will emit (its own and its claims'), which the pool reserves.
 */
export function checkTxAgainstState(
  tx: Tx,
  ws: WorldState,
  ctx: PoolValidationContext,
): { nullifiers: Fr[] } | { rejection: TxRejection } {
  const { gasLimits, maxFeesPerGas } = tx.gasSettings;
  const run = runTxOnState(tx, latestStateView(ws), ctx, {
    amount: computeFee(gasLimits, maxFeesPerGas),
    what: 'the most the tx may cost (gas limits × max fees per gas)',
  });
  if ('rejection' in run) return run;
  return { nullifiers: [...tx.nullifiers, ...run.claimNullifiers] };
}
