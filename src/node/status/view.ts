/**
 * What the status page shows, as `GET /status-page.json` serves it (the page's first paint is rendered from the same
 * object, then refreshed from that endpoint). Numbers that fit a double are numbers; L1 block numbers and slots are
 * numbers too (they stay far below 2^53). Absent facts are `null`, never omitted, so the page can show "—".
 */
export interface StatusView {
  /** When this view was taken (ms since the epoch, the node's wall clock). */
  takenAtMs: number;
  node: NodeSection;
  sync: SyncSection;
  /** The rollup's clock by L1 time. */
  slot: { slot: number; epoch: number } | null;
  peers: PeersSection;
  validators: ValidatorsSection;
}

export interface NodeSection {
  version: string;
  l1ChainId: number;
  rollup: string;
  ready: boolean;
  /** Why it is not ready: one line per component that is not (empty when ready). */
  notReady: string[];
}

export interface SyncSection {
  /** The L1 head the node's watcher saw last. */
  l1Head: number | null;
  /** The L1 block the archiver's last complete sync reached. */
  archiverL1Block: number | null;
  /** `l1Head - archiverL1Block`. */
  l1Lag: number | null;
  /** The latest L2 block this node stored, and the proven and finalized ones. */
  l2Latest: number;
  l2Proven: number;
  l2Finalized: number;
  /** The pending L2 tip on L1 the archiver is catching up to (0 before its first sync read it). */
  l2PendingOnL1: number;
  /** The world state's block (null without `--node`). */
  worldStateBlock: number | null;
  /** `l2Latest` of `l2PendingOnL1`, 0–100 (100 with nothing to sync). */
  percent: number;
  /** Still catching up: behind L1's pending tip by more than a block, or the archiver not ready. */
  syncing: boolean;
  /** Blocks stored per second while syncing (null before a measure). */
  blocksPerSecond: number | null;
  /** Seconds left at that rate while syncing (null otherwise). */
  etaSeconds: number | null;
  paused: boolean;
  /** The error of the failing syncs, if they fail. */
  error: string | null;
}

export interface PeersSection {
  /** P2P is on (P2P_ENABLED). */
  enabled: boolean;
  count: number;
  /** The first `PEERS_SHOWN` peers, best score first. */
  list: PeerRow[];
}

export interface PeerRow {
  id: string;
  /** The remote address of its first connection, without the `/p2p/<id>` suffix. */
  address: string | null;
  score: number;
  /** From the peer's `status` answer, when it gave one. */
  nodeVersion: string | null;
  latestBlock: number | null;
}

/**
 * This node's validators. **The seam for the sentinel**: today `source` is `local` and each row holds what this node
 * knows by itself (its own signatures and the L1 chain); once the sentinel runs, the node fills `stats` of each row
 * from `node_getValidatorsStats` (missed proposals and attestations over its window) and says so in `source`. The
 * page renders every `stats` entry as a labelled figure, so it needs no change when they arrive. See
 * docs/status-page.md.
 */
export interface ValidatorsSection {
  source: 'local' | 'local+sentinel';
  /** The slots the duties cover (both included); null without validators. */
  fromSlot: number | null;
  toSlot: number | null;
  list: ValidatorRow[];
}

export interface ValidatorRow {
  /** The attester address. */
  address: string;
  /** Counts over `duties`. */
  totals: { proposed: number; attested: number; landed: number; missed: number };
  /** Newest first. */
  duties: DutyRow[];
  /** The sentinel's figures for this validator (name → value), when it runs; null until then. */
  stats: Record<string, number | string> | null;
}

/** One duty of one validator in one slot. */
export interface DutyRow {
  slot: number;
  /** Proposer of the slot, or committee member asked to attest. */
  duty: 'propose' | 'attest';
  /** This node signed for it (recorded in the slashing protection history). */
  signed: boolean;
  outcome: DutyOutcome;
}

/**
 * - `landed`: signed, and the block it signed is the slot's block on L1;
 * - `other-block`: signed, but another block of that slot is on L1;
 * - `not-on-l1`: signed, but no block of that slot reached L1;
 * - `missed`: not signed, although the slot was ours to propose, or a block we were to attest landed;
 * - `no-block`: a committee duty with no block on L1 and nothing signed (no proposal may have come);
 * - `pending`: the slot is the current or the previous one and nothing is decided yet.
 */
export type DutyOutcome = 'landed' | 'other-block' | 'not-on-l1' | 'missed' | 'no-block' | 'pending';
