/** One component's part of the readiness report: whether it is ready, and the figures that decide it. */
export interface ComponentStatus {
  ready: boolean;
  /** Why it is not ready, for an operator. */
  reason?: string;
  [detail: string]: unknown;
}

/** What `GET /status` and `node_isReady` answer: ready once every component is. */
export interface ReadinessReport {
  ready: boolean;
  components: Record<string, ComponentStatus>;
}

/**
 * The node's readiness: each running component registers a check, and the node is ready once it has started
 * (every service up, the APIs listening) and every check passes. `GET /status` serves the report (200 when ready,
 * 503 until then) and `node_isReady` its `ready`, so the two always agree.
 */
export class Readiness {
  private readonly checks = new Map<string, () => ComponentStatus>();
  private started = false;
  private stopping = false;

  /** Registers a component's check (called on every report). */
  add(name: string, check: () => ComponentStatus): void {
    this.checks.set(name, check);
  }

  /** Every service started and the APIs listen. */
  markStarted(): void {
    this.started = true;
  }

  /** The node is shutting down: not ready any more. */
  markStopping(): void {
    this.stopping = true;
  }

  report(): ReadinessReport {
    const components: Record<string, ComponentStatus> = {};
    for (const [name, check] of this.checks) {
      try {
        components[name] = check();
      } catch (err) {
        components[name] = { ready: false, reason: err instanceof Error ? err.message : String(err) };
      }
    }
    const node: ComponentStatus = this.stopping
      ? { ready: false, reason: 'stopping' }
      : this.started
        ? { ready: true }
        : { ready: false, reason: 'starting' };
    const all = { node, ...components };
    return { ready: Object.values(all).every(c => c.ready), components: all };
  }

  isReady(): boolean {
    return this.report().ready;
  }
}

/** L1 blocks the archiver may be behind the L1 head and still count as synced. */
export const ARCHIVER_MAX_L1_LAG = 3n;

/** The archiver is ready once its last complete sync reached within a few blocks of the L1 head. */
export function archiverStatus(
  sync: { l1BlockNumber: bigint | undefined; l2BlockNumber: bigint; paused: boolean; error?: string },
  l1Head: bigint | undefined,
): ComponentStatus {
  const figures = {
    l1Head: l1Head?.toString() ?? null,
    l1SyncedBlock: sync.l1BlockNumber?.toString() ?? null,
    l2Block: Number(sync.l2BlockNumber),
    ...(sync.paused ? { paused: true } : {}),
    ...(sync.error !== undefined ? { error: sync.error } : {}),
  };
  if (sync.l1BlockNumber === undefined) return { ready: false, reason: 'first sync not done', ...figures };
  if (l1Head !== undefined && l1Head - sync.l1BlockNumber > ARCHIVER_MAX_L1_LAG) {
    return { ready: false, reason: `${l1Head - sync.l1BlockNumber} L1 blocks behind the L1 head`, ...figures };
  }
  return { ready: true, ...figures };
}
