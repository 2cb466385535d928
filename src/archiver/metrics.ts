import { histogram, type Histogram, type MetricsRegistry } from '../foundation/metrics/index.js';
import type { BlobSource } from './block-retriever.js';

/** The archiver's metrics on `registry`: blob fetches by source and outcome, and the block + world-state commit. */
export function archiverMetrics(registry: MetricsRegistry) {
  return {
    blobFetch: histogram(registry, {
      name: 'aztec_archiver_blob_fetch_duration_seconds',
      help: "Time to fetch a block's blobs, by source (beacon: L1_CONSENSUS_HOST_URLS; execution_rpc: the local L1's own endpoint; archive: BLOB_ARCHIVE_URLS; peer: block bodies over P2P) and outcome (ok: served and checked against L1's versioned hashes)",
      labelNames: ['source', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    commit: histogram(registry, {
      name: 'aztec_world_state_commit_duration_seconds',
      help: 'Time to commit a downloaded block and its world-state update in one KV transaction',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
  };
}

export type ArchiverMetrics = ReturnType<typeof archiverMetrics>;

/** `source` with every `getBlobs` timed on `h` under the label `name` (outcome ok or error). */
export function timedBlobSource(source: BlobSource, h: Histogram<string>, name: string): BlobSource {
  return {
    getBlobs: async (block, hashes, request) => {
      const end = h.startTimer({ source: name });
      try {
        const blobs = await source.getBlobs(block, hashes, request);
        end({ outcome: 'ok' });
        return blobs;
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      }
    },
  };
}
