import { NodeError } from '../../foundation/errors/index.js';

/** The consensus host settings cannot be used as given. */
export class BeaconConfigError extends NodeError {
  constructor(message: string) {
    super('BEACON_CONFIG_INVALID', message);
  }
}

/** No consensus host gave a usable answer (down, timing out, rate limiting or failing) after every retry. */
export class BeaconUnavailableError extends NodeError {
  constructor(
    readonly path: string,
    readonly failures: readonly string[],
  ) {
    super(
      'BEACON_UNAVAILABLE',
      `no L1 consensus host answered ${path}: ${failures.join('; ')}. Check --l1-consensus-host-urls, the API keys ` +
        'and that the beacon nodes are synced and reachable',
      { path, failures },
    );
  }
}

/** A consensus host answered with a status or body this client does not understand. */
export class BeaconResponseError extends NodeError {
  constructor(
    readonly host: string,
    readonly path: string,
    reason: string,
  ) {
    super('BEACON_BAD_RESPONSE', `consensus host ${host} gave an unusable answer to ${path}: ${reason}`, {
      host,
      path,
    });
  }
}

/** Some of the expected blobs were found on no consensus host. */
export class BlobsNotFoundError extends NodeError {
  constructor(
    readonly blockId: string,
    readonly missing: readonly { index: number; versionedHash: string }[],
    readonly attempts: readonly string[],
  ) {
    super(
      'BLOBS_NOT_FOUND',
      `blob(s) ${missing.map(m => `#${m.index} ${m.versionedHash}`).join(', ')} of L1 block ${blockId} not found on ` +
        `any consensus host (tried: ${attempts.join('; ') || 'nothing'}). The beacon nodes may have pruned them ` +
        '(blobs are kept ~18 days; use an archive/supernode) or not be synced yet',
      { blockId, missing, attempts },
    );
  }
}
