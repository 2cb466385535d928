import type { ArchiverSyncStatus } from '../../archiver/archiver.js';
import type { PeerInfo } from '../../p2p/service.js';
import type { ReadinessReport } from '../readiness.js';
import type { PeerRow, StatusView, SyncSection, ValidatorsSection } from './view.js';

/** Peers listed on the page (the count covers all of them). */
export const PEERS_SHOWN = 10;

/** Where the status view is read from; the composition root wires the node's components in. */
export interface StatusSources {
  facts: { version: string; l1ChainId: number; rollup: string };
  readiness(): ReadinessReport;
  archiver(): ArchiverSyncStatus;
  tips(): { proven: bigint; finalized: bigint };
  l1Head(): bigint | undefined;
  /** Absent without `--node`. */
  worldStateBlock?: (() => bigint) | undefined;
  slot(): { slot: bigint; epoch: bigint };
  /** Absent with P2P off. */
  peers?: (() => PeerInfo[]) | undefined;
  /** This node's validators and their duties (`localValidators`, with the sentinel's figures when it runs). */
  validators(): Promise<ValidatorsSection>;
  now?: () => number;
}

/** Reads every section of the status page once. */
export async function collectStatus(src: StatusSources): Promise<StatusView> {
  const report = src.readiness();
  const notReady = Object.entries(report.components)
    .filter(([, c]) => !c.ready)
    .map(([name, c]) => `${name}: ${c.reason ?? 'not ready'}`);
  const { slot, epoch } = src.slot();
  return {
    takenAtMs: (src.now ?? Date.now)(),
    node: { ...src.facts, ready: report.ready, notReady },
    sync: syncSection(src.archiver(), src.tips(), src.l1Head(), src.worldStateBlock?.(), report),
    slot: { slot: Number(slot), epoch: Number(epoch) },
    peers: src.peers ? peersSection(src.peers()) : { enabled: false, count: 0, list: [] },
    validators: await src.validators(),
  };
}

/** Sync figures, with a percentage and, while catching up at a measured rate, an ETA. */
export function syncSection(
  a: ArchiverSyncStatus,
  tips: { proven: bigint; finalized: bigint },
  l1Head: bigint | undefined,
  worldStateBlock: bigint | undefined,
  report?: ReadinessReport,
): SyncSection {
  const latest = Number(a.l2BlockNumber);
  const pending = Number(a.l2PendingOnL1);
  const behind = Math.max(0, pending - latest);
  const archiverReady = report?.components['archiver']?.ready ?? a.l1BlockNumber !== undefined;
  const syncing = behind > 1 || !archiverReady;
  const rate = a.blocksPerSecond ?? null;
  return {
    l1Head: l1Head === undefined ? null : Number(l1Head),
    archiverL1Block: a.l1BlockNumber === undefined ? null : Number(a.l1BlockNumber),
    l1Lag: l1Head === undefined || a.l1BlockNumber === undefined ? null : Math.max(0, Number(l1Head - a.l1BlockNumber)),
    l2Latest: latest,
    l2Proven: Number(tips.proven),
    l2Finalized: Number(tips.finalized),
    l2PendingOnL1: pending,
    worldStateBlock: worldStateBlock === undefined ? null : Number(worldStateBlock),
    percent: pending <= 0 ? (a.l1BlockNumber === undefined ? 0 : 100) : Math.min(100, (latest / pending) * 100),
    syncing,
    blocksPerSecond: rate,
    etaSeconds: syncing && behind > 0 && rate !== null && rate > 0 ? Math.round(behind / rate) : null,
    paused: a.paused,
    error: a.error ?? null,
  };
}

function peersSection(peers: PeerInfo[]): StatusView['peers'] {
  const list: PeerRow[] = [...peers]
    .sort((x, y) => y.score - x.score || x.id.localeCompare(y.id))
    .slice(0, PEERS_SHOWN)
    .map(p => ({
      id: p.id,
      address: p.addresses[0]?.replace(/\/p2p\/[^/]+$/, '') ?? null,
      score: p.score,
      nodeVersion: p.status?.nodeVersion ?? null,
      latestBlock: p.status?.latestBlockNumber ?? null,
    }));
  return { enabled: true, count: peers.length, list };
}
