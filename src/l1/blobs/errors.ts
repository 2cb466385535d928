import { NodeError } from '../../foundation/errors/index.js';

/** The payload does not fit in the blobs one L1 transaction may carry. */
export class BlobDataTooLargeError extends NodeError {
  constructor(
    readonly size: number,
    readonly maxSize: number,
  ) {
    super(
      'BLOB_DATA_TOO_LARGE',
      `block body of ${size} bytes does not fit in the blobs of one L1 transaction (at most ${maxSize} bytes); ` +
        'build a smaller block (fewer transactions)',
      { size, maxSize },
    );
  }
}

/** Blob contents that do not follow the packing of `docs/l2-protocol.md` ("Block body"). */
export class MalformedBlobDataError extends NodeError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super(
      'MALFORMED_BLOB_DATA',
      `blob data is malformed: ${reason}; the proposer published a body this node cannot decode`,
      context,
    );
  }
}

/** A blob whose KZG commitment does not hash to the versioned hash it was expected to have. */
export class BlobHashMismatchError extends NodeError {
  constructor(
    readonly index: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      'BLOB_HASH_MISMATCH',
      `blob ${index} has versioned hash ${actual} but ${expected} was expected; ` +
        'the blob source (beacon node) returned wrong or corrupted data — try another consensus host',
      { index, expected, actual },
    );
  }
}

/** A `blobInput` (`abi.encodePacked(uint8 n, bytes32[n] versionedHashes)`) that cannot be built or read. */
export class InvalidBlobInputError extends NodeError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('INVALID_BLOB_INPUT', `invalid blobInput: ${reason}`, context);
  }
}
