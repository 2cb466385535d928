import type { Hex } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { nowSeconds, type Clock } from '../foundation/time/index.js';
import { isAbortError, PollingLoop } from '../foundation/timers/index.js';
import { asSlot } from '../foundation/types/branded.js';
import type { RollupContract } from '../l1/contracts/index.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import { epochOfSlot, slotAt, type RollupTimeConstants } from '../protocol/epoch/time.js';
import { frToHex } from '../types/fr.js';
import type { L2Block } from '../types/l2-block.js';
import type { WorldState } from '../world-state/types.js';
import { decodeRevert } from '../l1/send.js';
import type { ProverMetrics } from './metrics.js';

/** The synced chain, as the prover reads it. */
export interface ProverChainReader {
  getLatestBlockNumber(): bigint;
  getBlock(blockNumber: bigint): L2Block | undefined;
}

/** What the prover node works with (all injectable: a unit test drives it with fakes and a manual clock). */
export interface ProverNodeDeps {
  rollup: Pick<RollupContract, 'getTips' | 'archiveAt' | 'encodeSubmitEpochRootProof' | 'simulate' | 'address'>;
  /** L1 time: an epoch is proven once the clock has passed its end. */
  clock: Clock;
  constants: RollupTimeConstants;
  chain: ProverChainReader;
  worldState: Pick<WorldState, 'getRoot'>;
  sender: Pick<L1TxSender, 'send' | 'address'>;
  /** Identifies this prover in `L2ProofVerified` (32 bytes). */
  proverId: Hex;
  pollingIntervalMs: number;
  /** Epochs proven and submission time (`aztec_prover_*`); none: not measured. */
  metrics?: ProverMetrics;
}

/** An epoch ready to prove: its blocks and the proof's public inputs. */
export interface EpochToProve {
  epoch: bigint;
  start: bigint;
  end: bigint;
  publicInputs: [Hex, Hex, Hex, Hex];
}

/**
 * The prover node: once an epoch has ended and all its blocks are synced, it checks them against the world state
 * (each block's header hash is the archive leaf at its number, and the archive roots chain), computes the epoch's
 * public inputs and submits the proof. The development verifier (`MockVerifier`) accepts any proof bytes; a real
 * verifier would take the proof of the epoch's re-execution here.
 */
export class ProverNode {
  private readonly loop: PollingLoop;
  private readonly log: Logger;

  constructor(
    private readonly deps: ProverNodeDeps,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('prover-node');
    this.loop = new PollingLoop({
      intervalMs: deps.pollingIntervalMs,
      maxBackoffMs: deps.pollingIntervalMs * 8,
      work: async signal => {
        try {
          await this.work(signal);
        } catch (err) {
          if (!isAbortError(err)) throw err;
        }
      },
      onError: err => this.log.error('Prover iteration failed', { error: errorMessage(err) }),
    });
  }

  start(): void {
    this.log.info('Prover node started', { prover: this.deps.sender.address });
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Finds the next epoch to prove, if one has ended and is synced. */
  async nextEpoch(): Promise<EpochToProve | undefined> {
    const { deps } = this;
    const { pending, proven } = await deps.rollup.getTips();
    if (pending <= proven) return undefined;
    const start = proven + 1n;
    const first = deps.chain.getBlock(start);
    if (!first) return undefined; // not synced yet
    const epoch = epochOfSlot(asSlot(first.header.globalVariables.slotNumber), deps.constants);
    const currentEpoch = epochOfSlot(slotAt(nowSeconds(deps.clock), deps.constants), deps.constants);
    if (currentEpoch <= epoch) return undefined; // the epoch is still going
    let end = start;
    for (let n = start + 1n; n <= pending; n++) {
      const b = deps.chain.getBlock(n);
      if (!b) return undefined; // the epoch's later blocks are not synced yet
      if (epochOfSlot(asSlot(b.header.globalVariables.slotNumber), deps.constants) !== epoch) break;
      end = n;
    }
    const [before, after] = await Promise.all([deps.rollup.archiveAt(start - 1n), deps.rollup.archiveAt(end)]);
    this.checkAgainstWorldState(start, end, after);
    const epochWord: Hex = `0x${epoch.toString(16).padStart(64, '0')}`;
    return { epoch, start, end, publicInputs: [before, after, epochWord, deps.proverId] };
  }

  private checkAgainstWorldState(start: bigint, end: bigint, l1Archive: Hex): void {
    const ours = frToHex(this.deps.worldState.getRoot('archive', end));
    if (ours !== l1Archive) {
      throw new Error(`archive root after block ${end} is ${ours} here but ${l1Archive} on L1: not proving`);
    }
    for (let n = start; n <= end; n++) {
      if (!this.deps.chain.getBlock(n)) throw new Error(`block ${n} missing from the store`);
    }
  }

  /** One pass: proves the next epoch when one is ready. */
  async work(signal?: AbortSignal): Promise<void> {
    const job = await this.nextEpoch();
    if (!job) return;
    const { rollup } = this.deps;
    const data = rollup.encodeSubmitEpochRootProof(job.start, job.end, job.publicInputs, '0x');
    try {
      await rollup.simulate(this.deps.sender.address, data);
    } catch (err) {
      this.log.warn('L1 would refuse the epoch proof', { epoch: job.epoch, error: decodeRevert(err) });
      this.deps.metrics?.epochs.inc({ outcome: 'refused' });
      return;
    }
    const endSubmit = this.deps.metrics?.submission.startTimer();
    const receipt = await this.deps.sender.send({ to: rollup.address, data }, signal ? { signal } : {});
    endSubmit?.();
    this.deps.metrics?.epochs.inc({ outcome: receipt.status === 'success' ? 'proven' : 'reverted' });
    if (receipt.status !== 'success')
      throw new Error(`epoch ${job.epoch} proof tx ${receipt.transactionHash} reverted`);
    this.log.info(`Proved epoch ${job.epoch}`, { blocks: `${job.start}..${job.end}`, l1Tx: receipt.transactionHash });
  }
}
