import type { Hex } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import type { BlobBlockId } from '../l1/beacon/index.js';
import type { BlobRequest, BlobSource } from './block-retriever.js';
import { BlobSourceError } from './errors.js';

/** One source of a `FallbackBlobSource`, with the name its logs and metrics use (`beacon`, `archive`, `peer`…). */
export interface NamedBlobSource {
  name: string;
  source: BlobSource;
}

/**
 * Tries blob sources in order (the node's: the beacon, each `BLOB_ARCHIVE_URLS` entry, then peers) until one serves
 * the block's blobs. Each source checks what it serves against the versioned hashes L1 recorded (the beacon client,
 * `BlobArchiveSource` and `PeerBlobSource` all do, on the shared verifier), and the archiver checks them once more;
 * a source that fails or serves a wrong blob is passed over for the next. Which source served each block is logged
 * at debug. Throws `BlobSourceError` `BLOBS_UNAVAILABLE` with every source's reason when none did.
 */
export class FallbackBlobSource implements BlobSource {
  private readonly log: Logger;

  constructor(
    private readonly sources: readonly NamedBlobSource[],
    logger?: Logger,
  ) {
    if (sources.length === 0) throw new RangeError('FallbackBlobSource needs at least one source');
    this.log = logger ?? createLogger('archiver').child('blobs');
  }

  /** The sources' names, in the order they are tried. */
  get names(): string[] {
    return this.sources.map(s => s.name);
  }

  async getBlobs(block: BlobBlockId, hashes: readonly Hex[], request?: BlobRequest): Promise<Uint8Array[]> {
    const failures: string[] = [];
    const l1Block = typeof block === 'object' ? block.number : block;
    for (const { name, source } of this.sources) {
      try {
        const blobs = await source.getBlobs(block, hashes, request);
        this.log.debug('Block body served', {
          source: name,
          l1Block,
          l2Block: request?.l2BlockNumber,
          blobs: blobs.length,
        });
        return blobs;
      } catch (err) {
        failures.push(`${name}: ${errorMessage(err)}`);
        if (this.sources.length > 1) {
          this.log.debug('Blob source failed, trying the next', { source: name, l1Block, reason: errorMessage(err) });
        }
      }
    }
    throw new BlobSourceError(
      'BLOBS_UNAVAILABLE',
      `no blob source served the blobs of L1 block ${String(l1Block)}${request ? ` (L2 block ${request.l2BlockNumber})` : ''}: ` +
        `${failures.join(' | ')}. Past the beacon's retention, set BLOB_ARCHIVE_URLS or enable P2P (P2P_ENABLED=true)`,
      { l1Block, failures },
    );
  }
}
