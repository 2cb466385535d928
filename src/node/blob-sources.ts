import { BlobArchiveSource } from '../archiver/blob-archive.js';
import type { BlobSource } from '../archiver/block-retriever.js';
import { FallbackBlobSource, type NamedBlobSource } from '../archiver/fallback-blob-source.js';
import { timedBlobSource, type ArchiverMetrics } from '../archiver/metrics.js';
import { PeerBlobSource, type BlockPeers } from '../archiver/peer-blob-source.js';
import type { BlobVerifier } from '../l1/blobs/index.js';
import type { P2PService } from '../p2p/service.js';

/** The archiver's blob source, and how P2P joins it once it runs. */
export interface NodeBlobSources {
  source: BlobSource;
  /** Lets the source ask `p2p`'s peers for bodies (no-op without P2P). */
  attachPeers(p2p: P2PService): void;
}

/**
 * Where the archiver gets block bodies (docs/blob-archive.md): the beacon, then each `BLOB_ARCHIVE_URLS` archive,
 * then (with P2P) peers, each timed on `aztec_archiver_blob_fetch_duration_seconds` under its name. Every source
 * checks its blobs against L1's versioned hashes on `verifier`.
 */
export function nodeBlobSources(opts: {
  beacon: BlobSource;
  /** `beacon`, or `execution_rpc` for anvil's own endpoint. */
  beaconName: string;
  archiveUrls: readonly string[] | undefined;
  p2p: boolean;
  verifier: BlobVerifier;
  metrics: ArchiverMetrics;
}): NodeBlobSources {
  const timed = (name: string, source: BlobSource): NamedBlobSource => ({
    name,
    source: timedBlobSource(source, opts.metrics.blobFetch, name),
  });
  const sources: NamedBlobSource[] = [timed(opts.beaconName, opts.beacon)];
  for (const url of opts.archiveUrls ?? []) sources.push(timed('archive', new BlobArchiveSource(url, opts.verifier)));
  const peers = opts.p2p ? new PeerBlobSource(opts.verifier) : undefined;
  if (peers) sources.push(timed('peer', peers));
  return {
    source: sources.length === 1 ? sources[0]!.source : new FallbackBlobSource(sources),
    attachPeers: p2p => peers?.attach(blockPeersOf(p2p)),
  };
}

/**
 * A P2P service as the peer blob source sees it: peers best score first (equal scores in random order, so that the
 * load spreads and one peer cannot stay first by luck of ordering); a wrong body costs `INVALID_MESSAGE`.
 */
export function blockPeersOf(p2p: P2PService): BlockPeers {
  return {
    peers: () =>
      p2p
        .getPeerInfo()
        .map(p => ({ id: p.id, score: p.score, tie: Math.random() }))
        .sort((a, b) => b.score - a.score || a.tie - b.tie)
        .map(p => p.id),
    requestBlock: (peer, n, archiveRoot) => p2p.requestBlock(peer, n, archiveRoot),
    penalize: peer => p2p.penalizePeer(peer, 'INVALID_MESSAGE'),
  };
}
