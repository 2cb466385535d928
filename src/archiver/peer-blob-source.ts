import type { Hex } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import type { BlobBlockId } from '../l1/beacon/index.js';
import { bytesToBlobs, type BlobVerifier } from '../l1/blobs/index.js';
import { frFromHex, type Fr } from '../types/fr.js';
import { encodeBlockBody, type L2Block } from '../types/l2-block.js';
import type { BlobRequest, BlobSource } from './block-retriever.js';
import { BlobSourceError } from './errors.js';

/** The peers a node can ask for block bodies: its P2P service, seen through what the archiver needs of it. */
export interface BlockPeers {
  /** The connected peers' ids, in the order to ask them (the best first). */
  peers(): string[];
  /**
   * Block `n` from `peer`, undefined when it has none. Throws (and penalizes the peer) when the answer is not block
   * `n` or does not claim `archiveRoot`.
   */
  requestBlock(peer: string, n: bigint, archiveRoot: Fr): Promise<L2Block | undefined>;
  /** Lowers `peer`'s score: it served a body that does not match the versioned hashes L1 recorded. */
  penalize(peer: string, reason: string): void;
}

/** Peers tried for one block at most (the best first). */
const MAX_PEERS_PER_BLOCK = 8;

/**
 * Block bodies from peers, for blobs no beacon or archive has any more: block `n` is asked over req/resp (`block`),
 * its body re-encoded into blobs (the encoding is deterministic: docs/l2-protocol.md, "Block body") and the blobs
 * checked against the versioned hashes L1 recorded for the block. A peer whose body does not match is penalized and
 * the next peer asked. Peers are attached once P2P runs (`attach`); until then, and when no peer serves a matching
 * body, `getBlobs` throws `BlobSourceError` `BLOB_PEERS_UNAVAILABLE`.
 */
export class PeerBlobSource implements BlobSource {
  private source: BlockPeers | undefined;
  private readonly log: Logger;

  constructor(
    private readonly verifier: BlobVerifier,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('archiver').child('peer-blobs');
  }

  /** Starts asking `peers` (the node's P2P service, once started). */
  attach(peers: BlockPeers): void {
    this.source = peers;
  }

  async getBlobs(_block: BlobBlockId, hashes: readonly Hex[], request?: BlobRequest): Promise<Uint8Array[]> {
    if (!request) {
      throw new BlobSourceError('BLOB_PEERS_UNAVAILABLE', 'peers serve bodies by L2 block number, none was given');
    }
    const n = request.l2BlockNumber;
    if (!this.source) {
      throw new BlobSourceError(
        'BLOB_PEERS_UNAVAILABLE',
        `no peers to ask for the body of L2 block ${n}: P2P is not running (P2P_ENABLED=true to ask peers)`,
        { blockNumber: n },
      );
    }
    const all = this.source.peers();
    const reasons: string[] = [];
    for (const peer of all.slice(0, MAX_PEERS_PER_BLOCK)) {
      const blobs = await this.fromPeer(this.source, peer, n, frFromHex(request.archive), hashes, reasons);
      if (blobs) return blobs;
    }
    throw new BlobSourceError(
      'BLOB_PEERS_UNAVAILABLE',
      `no peer served the body of L2 block ${n} (${all.length} connected${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''})`,
      { blockNumber: n, peers: all.length },
    );
  }

  private async fromPeer(
    source: BlockPeers,
    peer: string,
    n: bigint,
    archiveRoot: Fr,
    hashes: readonly Hex[],
    reasons: string[],
  ): Promise<Uint8Array[] | undefined> {
    let block: L2Block | undefined;
    try {
      block = await source.requestBlock(peer, n, archiveRoot);
    } catch (err) {
      reasons.push(`${peer}: ${errorMessage(err)}`);
      return undefined;
    }
    if (!block) {
      reasons.push(`${peer}: has no block ${n}`);
      return undefined;
    }
    try {
      const blobs = bytesToBlobs(encodeBlockBody(block.body));
      await this.verifier.verify(blobs, hashes);
      return blobs;
    } catch (err) {
      const reason = `the body of block ${n} does not match the versioned hashes L1 recorded: ${errorMessage(err)}`;
      this.log.warn('Peer served a wrong block body; penalized', { peer, blockNumber: n, reason });
      source.penalize(peer, reason);
      reasons.push(`${peer}: wrong body`);
      return undefined;
    }
  }
}
