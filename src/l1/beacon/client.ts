import { setTimeout as sleep } from 'node:timers/promises';
import type { Hex } from 'viem';

import { NodeError, errorMessage } from '../../foundation/errors/index.js';
import { createLogger, type Logger } from '../../foundation/log/index.js';
import type { BlobVerifier } from '../blobs/index.js';
import { BlobHashMismatchError, inlineBlobVerifier, versionedHash } from '../blobs/index.js';
import { BeaconConfigError, BeaconResponseError, BeaconUnavailableError, BlobsNotFoundError } from './errors.js';
import { BeaconHost, TransientHostError, hostsFromConfig, type BeaconHostConfig } from './hosts.js';
import {
  parseBlobsResponse,
  parseGenesisTime,
  parseSecondsPerSlot,
  parseSidecarsResponse,
  type ReturnedBlob,
} from './responses.js';

/** Tuning of a `BeaconClient`. */
export interface BeaconClientOptions {
  /** Milliseconds before one request is abandoned (default 10 000). */
  timeoutMs?: number;
  /** Extra rounds over all hosts after transient failures (default 3). */
  retries?: number;
  /** First backoff between rounds, doubled each round (default 500 ms, capped at `maxBackoffMs`, default 8 000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Overrides `SECONDS_PER_SLOT` from `/eth/v1/config/spec` (anvil does not serve it). */
  secondsPerSlot?: bigint;
  /** Where returned blobs are committed to (a worker pool, and a cache that later checks reuse); default inline. */
  verifier?: BlobVerifier;
  logger?: Logger;
}

/**
 * The L1 block whose blobs are wanted, as the archiver knows it from the execution layer. `hash` and `number` are
 * tried as `block_id` first (anvil answers to them); `timestamp` lets the client fall back to the beacon slot.
 */
export interface L1BlockRef {
  number?: bigint;
  hash?: Hex;
  timestamp?: bigint;
}

/** A raw `block_id` (EL block number or hash on anvil; slot, block root, `head`… on a beacon node) or a block ref. */
export type BlobBlockId = bigint | number | string | L1BlockRef;

const BLOBS_GONE = new Set([405, 410, 501]);

/** This host answered but does not have all the blobs (the reasons are in the attempts list). */
class NotOnHost extends Error {}

/**
 * Reads blobs from L1 consensus (beacon) nodes, trying hosts in order with backoff on 429/5xx/timeouts.
 *
 * Addressing: a real beacon node's `block_id` is a slot, a beacon block root, `head`, `genesis` or `finalized` — it
 * does not know EL block numbers or hashes. anvil, which has no consensus layer, takes the EL block number or hash.
 * Given an `L1BlockRef`, the client asks for the EL hash, then the EL number (harmless on a beacon node: a number is
 * read as some slot whose blobs do not match, a hash as an unknown root), then the slot holding the EL block:
 * `(timestamp - genesis_time) / SECONDS_PER_SLOT` from `/eth/v1/beacon/genesis` and `/eth/v1/config/spec`. Only
 * blobs whose recomputed versioned hash is expected are kept, so a wrong guess can never yield wrong data.
 */
export class BeaconClient {
  private readonly hosts: BeaconHost[];
  private readonly blobsGone = new Set<BeaconHost>();
  private readonly log: Logger;
  private readonly verifier: BlobVerifier;
  private genesisTime: bigint | undefined;
  private secondsPerSlot: bigint | undefined;

  constructor(
    hosts: readonly BeaconHostConfig[],
    private readonly opts: BeaconClientOptions = {},
  ) {
    if (hosts.length === 0) {
      throw new BeaconConfigError('no L1 consensus host URL given: set --l1-consensus-host-urls to fetch blobs');
    }
    this.hosts = hosts.map(h => new BeaconHost(h, opts.timeoutMs ?? 10_000));
    this.secondsPerSlot = opts.secondsPerSlot;
    this.verifier = opts.verifier ?? inlineBlobVerifier();
    this.log = opts.logger ?? createLogger('l1:beacon');
  }

  /** A client for the node's `l1ConsensusHostUrls` / `l1ConsensusHostApiKeys` / `l1ConsensusHostApiKeyHeaders`. */
  static fromConfig(config: Parameters<typeof hostsFromConfig>[0], opts: BeaconClientOptions = {}): BeaconClient {
    return new BeaconClient(hostsFromConfig(config), opts);
  }

  /** The host URLs, without keys: for logs. */
  get hostLabels(): string[] {
    return this.hosts.map(h => h.label);
  }

  /**
   * The blobs of `block` whose versioned hashes are `expectedVersionedHashes`, in that order. Tries
   * `/eth/v1/beacon/blobs/{block_id}` then `/eth/v1/beacon/blob_sidecars/{block_id}` on each host. Throws
   * `BlobsNotFoundError` naming the missing hashes, `BlobHashMismatchError` when a host served a sidecar whose blob
   * does not match its commitment (and no host served the right one), `BeaconUnavailableError` when no host answered.
   */
  async getBlobs(block: BlobBlockId, expectedVersionedHashes: readonly Hex[]): Promise<Uint8Array[]> {
    const expected = expectedVersionedHashes.map(h => h.toLowerCase());
    const found = new Map<string, Uint8Array>();
    const attempts: string[] = [];
    const mismatches: BlobHashMismatchError[] = [];
    const complete = () => expected.every(h => found.has(h));
    const result = () => expected.map(h => found.get(h)!);
    if (complete()) return result();

    const keep = async (returned: ReturnedBlob[]) => {
      const hashes = await this.verifier.versionedHashes(
        returned.map(r => r.blob),
        expected.filter(h => !found.has(h)),
      );
      for (const [i, { blob, claimedCommitment }] of returned.entries()) {
        const actual = hashes[i]!;
        if (expected.includes(actual)) found.set(actual, blob);
        const claimed = claimedCommitment && versionedHash(claimedCommitment);
        if (claimed !== undefined && claimed !== actual && expected.includes(claimed)) {
          mismatches.push(new BlobHashMismatchError(expected.indexOf(claimed), claimed, actual));
        }
      }
    };

    const tryId = async (host: BeaconHost, id: string): Promise<void> => {
      const where = `${host.label} ${id}`;
      if (!this.blobsGone.has(host)) {
        // Ask only for our blobs (anvil and Fulu nodes filter; others ignore it), then for all when some are missing.
        for (const query of [{ versioned_hashes: expected.join(',') }, {}]) {
          const answer = await host.get(`/eth/v1/beacon/blobs/${id}`, query);
          if (answer.status !== 200) {
            if (BLOBS_GONE.has(answer.status)) this.blobsGone.add(host);
            attempts.push(`${where} /blobs: HTTP ${answer.status}`);
            break;
          }
          await keep(this.parse(host, '/blobs', () => parseBlobsResponse(answer.body)));
          if (complete()) return;
          if (Object.keys(query).length === 0) {
            attempts.push(`${where} /blobs: ${expected.length - found.size} missing`);
            return; // the block exists on this host: sidecars would hold the same blobs
          }
        }
      }
      const answer = await host.get(`/eth/v1/beacon/blob_sidecars/${id}`);
      if (answer.status !== 200) {
        attempts.push(`${where} /blob_sidecars: HTTP ${answer.status}`);
        return;
      }
      await keep(this.parse(host, '/blob_sidecars', () => parseSidecarsResponse(answer.body)));
      if (!complete()) attempts.push(`${where} /blob_sidecars: ${expected.length - found.size} missing`);
    };

    const { ids, timestamp } = blockIds(block);
    const fromHost = async (host: BeaconHost): Promise<Uint8Array[]> => {
      for (const id of ids) {
        await tryId(host, id);
        if (complete()) return result();
      }
      if (timestamp !== undefined) {
        let slot: bigint | undefined;
        try {
          slot = await this.slotOn(host, timestamp);
        } catch (err) {
          if (err instanceof TransientHostError) throw err;
          attempts.push(`${host.label} slot: ${errorMessage(err)}`);
        }
        if (slot !== undefined) await tryId(host, slot.toString());
        if (complete()) return result();
      }
      throw new NotOnHost();
    };
    try {
      const blobs = await this.failover(`blobs of ${describe(block)}`, host =>
        fromHost(host).catch((err: unknown) => {
          if (!(err instanceof TransientHostError) && !(err instanceof NotOnHost)) attempts.push(errorMessage(err));
          throw err;
        }),
      );
      this.log.debug('Fetched blobs', { block: describe(block), count: blobs.length });
      return blobs;
    } catch (err) {
      if (err instanceof BeaconUnavailableError) {
        if (attempts.length === 0) throw err;
        attempts.push(...err.failures);
      }
      const missing = expected.flatMap((h, index) => (found.has(h) ? [] : [{ index, versionedHash: h }]));
      const mismatch = mismatches.find(m => missing.some(x => x.index === m.index));
      if (mismatch) throw mismatch;
      throw new BlobsNotFoundError(describe(block), missing, attempts);
    }
  }

  /** The beacon slot that holds an EL block with this `timestamp` (unix seconds). */
  async slotForTimestamp(timestamp: bigint): Promise<bigint> {
    return this.failover('slot', host => this.slotOn(host, timestamp));
  }

  private async slotOn(host: BeaconHost, timestamp: bigint): Promise<bigint> {
    if (this.genesisTime === undefined) {
      const answer = await host.get('/eth/v1/beacon/genesis');
      this.genesisTime = this.parse(host, '/eth/v1/beacon/genesis', () => parseGenesisTime(this.ok(answer)));
    }
    if (this.secondsPerSlot === undefined) {
      const answer = await host.get('/eth/v1/config/spec');
      this.secondsPerSlot = this.parse(host, '/eth/v1/config/spec', () => parseSecondsPerSlot(this.ok(answer)));
    }
    if (timestamp < this.genesisTime) {
      throw new NodeError('BEACON_BEFORE_GENESIS', `timestamp ${timestamp} is before beacon genesis`, { timestamp });
    }
    return (timestamp - this.genesisTime) / this.secondsPerSlot;
  }

  private ok(answer: { status: number; body: unknown }): unknown {
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    return answer.body;
  }

  private parse<T>(host: BeaconHost, path: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new BeaconResponseError(host.label, path, host.redact(errorMessage(err)));
    }
  }

  /**
   * Runs `attempt` on each host in order until one succeeds. Transient failures (`TransientHostError`) are retried
   * in further rounds after a backoff; other errors move on to the next host. Throws the first non-transient error
   * when every host failed, or `BeaconUnavailableError` when all failures were transient.
   */
  private async failover<T>(what: string, attempt: (host: BeaconHost) => Promise<T>): Promise<T> {
    const retries = this.opts.retries ?? 3;
    const maxBackoff = this.opts.maxBackoffMs ?? 8_000;
    for (let round = 0; ; round++) {
      const transient: TransientHostError[] = [];
      let definitive: Error | undefined;
      for (const host of this.hosts) {
        try {
          return await attempt(host);
        } catch (err) {
          if (!(err instanceof TransientHostError)) {
            definitive ??= err instanceof Error ? err : new Error(String(err));
            continue;
          }
          transient.push(err);
          this.log.debug('Consensus host failed, trying the next', { what, host: host.label, reason: err.message });
        }
      }
      if (transient.length === 0 || round >= retries) {
        if (definitive !== undefined) throw definitive;
        throw new BeaconUnavailableError(
          what,
          transient.map(t => t.message),
        );
      }
      const asked = Math.max(0, ...transient.map(t => t.retryAfterMs ?? 0));
      const delay = Math.min(maxBackoff, Math.max(asked, (this.opts.backoffMs ?? 500) * 2 ** round));
      this.log.verbose('All consensus hosts failed, backing off', { what, round, delayMs: delay });
      await sleep(delay);
    }
  }
}

function blockIds(block: BlobBlockId): { ids: string[]; timestamp?: bigint } {
  if (typeof block === 'bigint' || typeof block === 'number') return { ids: [block.toString()] };
  if (typeof block === 'string') return { ids: [block] };
  const ids = [block.hash, block.number?.toString()].filter((x): x is string => x !== undefined);
  return block.timestamp !== undefined ? { ids, timestamp: block.timestamp } : { ids };
}

function describe(block: BlobBlockId): string {
  if (typeof block !== 'object') return block.toString();
  return block.number?.toString() ?? block.hash ?? `at ${block.timestamp}`;
}
