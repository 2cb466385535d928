import { statfs } from 'node:fs/promises';
import { collectDefaultMetrics } from 'prom-client';
import { gauge, type MetricsRegistry } from '../foundation/metrics/index.js';
import { SEQUENCER_STATES, type SequencerState } from '../sequencer/state.js';
import { TREE_IDS, type TreeId } from '../world-state/types.js';

/**
 * How many L1 blocks the archiver is behind the L1 head: head − the L1 block its last complete sync reached. Before
 * the first sync nothing is synced, so the whole head is behind (a node still catching up is not synced). Never
 * negative: a head read before the sync finished can be older than what the sync reached. Undefined without a head.
 */
export function l1LagBlocks(l1Head: bigint | undefined, synced: bigint | undefined): number | undefined {
  if (l1Head === undefined) return undefined;
  const from = synced ?? 0n;
  return l1Head > from ? Number(l1Head - from) : 0;
}

/** What the node-level gauges read when scraped; each part is absent when the node runs without it. */
export interface NodeMetricsSources {
  archiver: () => {
    l1BlockNumber: bigint | undefined;
    l2BlockNumber: bigint;
    provenBlockNumber: bigint;
    paused: boolean;
  };
  l1Head: () => bigint | undefined;
  worldState?: { getBlockNumber(): bigint; getSize(tree: TreeId): bigint } | undefined;
  sequencerState?: (() => SequencerState) | undefined;
  /** The data directory, whose filesystem's free and total bytes are exported (`aztec_node_data_dir_*`). */
  dataDirectory?: string | undefined;
}

/**
 * Registers the gauges read at scrape time (archiver heights and lag, world state, sequencer state, data directory
 * disk) and the process metrics (event-loop lag, heap, CPU: prom-client's defaults prefixed `aztec_process_`).
 */
export function registerNodeMetrics(registry: MetricsRegistry, src: NodeMetricsSources): void {
  collectDefaultMetrics({ register: registry, prefix: 'aztec_process_', eventLoopMonitoringPrecision: 20 });
  gauge(registry, {
    name: 'aztec_archiver_l1_block_number',
    help: 'The L1 block the archiver has synced to',
    collect() {
      const n = src.archiver().l1BlockNumber;
      if (n !== undefined) this.set(Number(n));
    },
  });
  gauge(registry, {
    name: 'aztec_archiver_l2_block_number',
    help: 'The latest L2 block the archiver has stored',
    collect() {
      this.set(Number(src.archiver().l2BlockNumber));
    },
  });
  gauge(registry, {
    name: 'aztec_archiver_l2_proven_block_number',
    help: 'The latest proven L2 block the archiver has seen on L1',
    collect() {
      this.set(Number(src.archiver().provenBlockNumber));
    },
  });
  gauge(registry, {
    name: 'aztec_archiver_l1_lag_blocks',
    help: 'L1 blocks between the L1 head and the block the archiver has synced to',
    collect() {
      const lag = l1LagBlocks(src.l1Head(), src.archiver().l1BlockNumber);
      if (lag !== undefined) this.set(lag);
    },
  });
  gauge(registry, {
    name: 'aztec_archiver_sync_paused',
    help: '1 while the archiver sync is paused by nodeAdmin_pauseSync',
    collect() {
      this.set(src.archiver().paused ? 1 : 0);
    },
  });
  gauge(registry, {
    name: 'aztec_l1_head_block_number',
    help: 'The latest L1 block the node has seen',
    collect() {
      const n = src.l1Head();
      if (n !== undefined) this.set(Number(n));
    },
  });
  const ws = src.worldState;
  if (ws) {
    gauge(registry, {
      name: 'aztec_world_state_block_number',
      help: 'The L2 block the world state is at',
      collect() {
        this.set(Number(ws.getBlockNumber()));
      },
    });
    gauge(registry, {
      name: 'aztec_world_state_tree_leaves',
      help: 'Leaves in each world-state tree at its latest block',
      labelNames: ['tree'],
      collect() {
        for (const tree of TREE_IDS) this.set({ tree }, Number(ws.getSize(tree)));
      },
    });
  }
  const state = src.sequencerState;
  if (state) {
    gauge(registry, {
      name: 'aztec_sequencer_state',
      help: 'The sequencer state: 1 for the current state, 0 for the others',
      labelNames: ['state'],
      collect() {
        const now = state();
        for (const s of SEQUENCER_STATES) this.set({ state: s }, s === now ? 1 : 0);
      },
    });
  }
  const dir = src.dataDirectory;
  if (dir) {
    const fs = () => statfs(dir);
    gauge(registry, {
      name: 'aztec_node_data_dir_free_bytes',
      help: 'Bytes available to the node on the filesystem of its data directory',
      async collect() {
        const s = await fs();
        this.set(s.bavail * s.bsize);
      },
    });
    gauge(registry, {
      name: 'aztec_node_data_dir_size_bytes',
      help: 'Total bytes of the filesystem of the node data directory',
      async collect() {
        const s = await fs();
        this.set(s.blocks * s.bsize);
      },
    });
  }
}
