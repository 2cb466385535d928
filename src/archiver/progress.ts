import type { Logger } from '../foundation/log/index.js';

/** Tuning of `SyncProgress`. */
export interface SyncProgressOptions {
  /** Least time between two progress lines (default 5 s). */
  intervalMs?: number;
  /** Log progress only when more than this many blocks behind (default 10). */
  behindThreshold?: number;
  now?: () => number;
}

/**
 * Logs how a long sync is going: when the archiver is more than ~10 blocks behind L1's pending tip, every few seconds
 * a line with the blocks per second since the last line and an ETA.
 */
export class SyncProgress {
  private target = 0n;
  private windowStart: number;
  private windowBlocks = 0;
  /** Blocks per second over the last window that closed, while blocks were still coming (undefined before one). */
  private lastRate: number | undefined;
  private readonly intervalMs: number;
  private readonly threshold: bigint;
  private readonly now: () => number;

  constructor(
    private readonly log: Logger,
    opts: SyncProgressOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 5_000;
    this.threshold = BigInt(opts.behindThreshold ?? 10);
    this.now = opts.now ?? Date.now;
    this.windowStart = this.now();
  }

  /** The pending tip on L1 the archiver is catching up to. */
  setTarget(pending: bigint): void {
    this.target = pending;
  }

  /** The pending tip on L1 last seen (0 before the first sync) and the last measured rate, for the status page. */
  snapshot(): { target: bigint; blocksPerSecond: number | undefined } {
    return { target: this.target, blocksPerSecond: this.lastRate };
  }

  /** Blocks left before `latest` reaches the target. */
  behind(latest: bigint): bigint {
    return this.target > latest ? this.target - latest : 0n;
  }

  /** Called after each block is stored; may log a progress line. */
  blockAdded(latest: bigint): void {
    this.windowBlocks++;
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < this.intervalMs) return;
    const behind = this.behind(latest);
    const perSecond = (this.windowBlocks * 1000) / elapsed;
    this.lastRate = perSecond;
    if (behind > this.threshold) {
      const etaSeconds = perSecond > 0 ? Math.round(Number(behind) / perSecond) : undefined;
      this.log.info(`Syncing: L2 block ${latest} of ${this.target}`, {
        behind,
        blocksPerSecond: Math.round(perSecond * 100) / 100,
        eta: etaSeconds === undefined ? 'unknown' : formatDuration(etaSeconds),
        etaSeconds,
      });
    }
    this.windowStart = now;
    this.windowBlocks = 0;
  }
}

/** `3725` → `1h2m5s`. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
