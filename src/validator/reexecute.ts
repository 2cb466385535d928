import type { Address } from 'viem';

import type { Clock } from '../foundation/time/index.js';
import { isAbortError, sleep } from '../foundation/timers/index.js';
import { buildBlock } from '../protocol/block/index.js';
import { frToHex, headerHash, txHash, type BlockHeader, type Fr, type GasFees, type Tx } from '../types/index.js';
import type { WorldState } from '../world-state/types.js';
import type { BlockProposal } from './messages.js';

/** What re-executing a proposal needs. */
export interface ReexecutionContext {
  worldState: WorldState;
  /** The L1→L2 messages of a block (the archiver's, zero-filled). */
  l1ToL2Messages(blockNumber: bigint): readonly Fr[] | Promise<readonly Fr[]>;
  l1ChainId: number;
  feeJuicePortal: Address;
  /** The base fees the Rollup requires of a block at an L1 time (docs/fees.md). */
  baseFees(timestamp: bigint): Promise<GasFees> | GasFees;
  /** L1 time. */
  clock: Clock;
  /** Aborts the wait for the parent block and the re-execution (the node is stopping). */
  signal?: AbortSignal;
}

/** The outcome of re-executing a proposal: ok, or why it does not hold (or could not be checked). */
export type ReexecutionResult = { ok: true } | { ok: false; reason: string };

/**
 * Re-executes a proposal's txs with `buildBlock` on a fork of the world state at the proposal's parent, with the
 * globals of the proposal's header (whose base fees must be the Rollup's for its slot on the parent), and checks the
 * resulting header hash and archive root equal the proposal's.
 * Waits (until `deadline`, ms) for the world state to reach the parent block. The fork is always discarded.
 */
export async function reexecuteProposal(
  ctx: ReexecutionContext,
  proposal: BlockProposal,
  header: BlockHeader,
  txs: readonly Tx[],
  deadline: number,
): Promise<ReexecutionResult> {
  const parent = header.globalVariables.blockNumber - 1n;
  const now = () => ctx.clock.nowMs();
  while (ctx.worldState.getBlockNumber() < parent) {
    if (now() >= deadline) return { ok: false, reason: `world state did not reach block ${parent} in time` };
    try {
      await sleep(50, ctx.signal);
    } catch (err) {
      if (isAbortError(err)) return { ok: false, reason: 'stopped' };
      throw err;
    }
  }
  if (ctx.worldState.getBlockNumber() !== parent) {
    return { ok: false, reason: `world state is past the proposal's parent block ${parent}` };
  }
  const fees = header.globalVariables.gasFees;
  const expected = await ctx.baseFees(header.globalVariables.timestamp);
  if (fees.feePerDaGas !== expected.feePerDaGas || fees.feePerL2Gas !== expected.feePerL2Gas) {
    return {
      ok: false,
      reason:
        `wrong base fees: the header has DA ${fees.feePerDaGas}, L2 ${fees.feePerL2Gas}; the Rollup's are ` +
        `DA ${expected.feePerDaGas}, L2 ${expected.feePerL2Gas}`,
    };
  }
  const fork = ctx.worldState.fork();
  try {
    const built = await buildBlock({
      fork,
      txs,
      globals: header.globalVariables,
      l1ToL2Messages: await ctx.l1ToL2Messages(header.globalVariables.blockNumber),
      l1ChainId: BigInt(ctx.l1ChainId),
      feeJuicePortal: ctx.feeJuicePortal,
      lastArchive: header.lastArchive,
      maxTxsPerBlock: txs.length,
      shouldStop: () => now() >= deadline || ctx.signal?.aborted === true,
    });
    if (ctx.signal?.aborted) return { ok: false, reason: 'stopped' };
    if (now() >= deadline) return { ok: false, reason: 'deadline passed during re-execution' };
    if (built.included.length !== txs.length) {
      const failed = built.failed.map(f => `${frToHex(txHash(f.tx))}: ${f.rejection.code}`);
      return { ok: false, reason: `${txs.length - built.included.length} txs not included (${failed.join(', ')})` };
    }
    if (built.block.archive.root !== proposal.archive) {
      return {
        ok: false,
        reason: `archive mismatch: re-executed ${frToHex(built.block.archive.root)}, proposed ${frToHex(proposal.archive)}`,
      };
    }
    if (headerHash(built.block.header) !== headerHash(header)) {
      return { ok: false, reason: 'header mismatch after re-execution' };
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `re-execution failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    fork.discard();
  }
}
