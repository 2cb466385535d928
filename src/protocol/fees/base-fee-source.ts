import { errorMessage } from '../../foundation/errors/index.js';
import { createLogger } from '../../foundation/log/index.js';
import type { Clock } from '../../foundation/time/index.js';
import { PollingLoop } from '../../foundation/timers/index.js';
import { asSlot } from '../../foundation/types/branded.js';
import type { GasFees } from '../../types/header.js';
import type { RollupTimeConstants } from '../../types/rollup-constants.js';
import { slotAt, timestampForSlot } from '../epoch/time.js';
import { computeBaseFees, type FeeInputs } from './fee-math.js';

/** Where the node gets base fees: for the next slot (the API), and for a block at an L1 time (builders, attesters). */
export interface BaseFeeSource {
  /** Base fees of a block in the next slot, as last read. */
  current(): GasFees;
  /** Base fees of a block at L1 time `timestamp` (from the current slot on). */
  at(timestamp: bigint): Promise<GasFees> | GasFees;
}

/** The Rollup's fee inputs at an L1 time (`RollupContract.getFeeInputsAt`). */
export interface FeeInputsReader {
  getFeeInputsAt(ts: bigint): Promise<FeeInputs>;
}

/** Settings of `RollupBaseFees`. */
export interface RollupBaseFeesOptions {
  /**
   * How often it checks whether the next slot's fees must be read again: when the next slot changed, or after
   * `invalidate()` (the Rollup's fee inputs change only with its own transactions: proposals, proofs, prunes).
   */
  intervalMs: number;
}

const log = createLogger('base-fees');

/**
 * Base fees as the Rollup computes them (docs/fees.md): its inputs for the slot (the L1 fee snapshot and the excess
 * mana of the tip) read from L1, the formula applied here (`computeBaseFees`, the contract's math). `current()` is
 * the next slot's fees, read again between `start()` and `stop()` when the next slot changes or after `invalidate()`
 * (the node calls it on each change of the chain the archiver follows).
 */
export class RollupBaseFees implements BaseFeeSource {
  private latest: GasFees | undefined;
  /** The slot timestamp `latest` is for. */
  private latestFor: bigint | undefined;
  private stale = true;
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: { rollup: FeeInputsReader; constants: RollupTimeConstants; clock: Clock },
    opts: RollupBaseFeesOptions,
  ) {
    this.loop = new PollingLoop({
      intervalMs: opts.intervalMs,
      maxBackoffMs: Math.max(opts.intervalMs, 30_000),
      work: () => this.refreshIfStale(),
      onError: (err, delayMs) =>
        log.warn('Could not read base fees from L1', { error: errorMessage(err), retryInMs: delayMs }),
    });
  }

  /** Reads the next slot's fees once (so `current()` has them), then keeps them fresh. */
  async start(): Promise<void> {
    await this.refresh();
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** The Rollup's state changed (a block proposed, pruned or proven): read the fees again at the next check. */
  invalidate(): void {
    this.stale = true;
  }

  current(): GasFees {
    if (!this.latest) throw new Error('base fees not read yet: start() the RollupBaseFees first');
    return this.latest;
  }

  async at(timestamp: bigint): Promise<GasFees> {
    return computeBaseFees(await this.deps.rollup.getFeeInputsAt(timestamp));
  }

  /** The start of the slot after now (slot 0 before genesis: it is the next one then). */
  nextSlotTimestamp(): bigint {
    const { constants, clock } = this.deps;
    const now = BigInt(Math.floor(clock.nowMs() / 1000));
    const next = now < constants.genesisTime ? asSlot(0n) : asSlot(slotAt(now, constants) + 1n);
    return timestampForSlot(next, constants);
  }

  /** Reads the next slot's fees now; returns them. */
  async refresh(): Promise<GasFees> {
    const ts = this.nextSlotTimestamp();
    this.stale = false;
    let fees: GasFees;
    try {
      fees = await this.at(ts);
    } catch (err) {
      this.stale = true;
      throw err;
    }
    const before = this.latest;
    this.latest = fees;
    this.latestFor = ts;
    if (before && (before.feePerL2Gas !== fees.feePerL2Gas || before.feePerDaGas !== fees.feePerDaGas)) {
      log.debug('Base fees changed', { feePerL2Gas: fees.feePerL2Gas, feePerDaGas: fees.feePerDaGas });
    }
    return fees;
  }

  private async refreshIfStale(): Promise<void> {
    if (this.stale || this.latestFor !== this.nextSlotTimestamp()) await this.refresh();
  }
}
