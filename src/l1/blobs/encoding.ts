import { BlobDataTooLargeError, MalformedBlobDataError } from './errors.js';

/** Field elements per blob (EIP-4844). */
export const FIELD_ELEMENTS_PER_BLOB = 4096;
/** Bytes per field element. */
export const BYTES_PER_FIELD_ELEMENT = 32;
/** Payload bytes per field element: the first byte of each element is zero so the value stays below the modulus. */
export const USABLE_BYTES_PER_FIELD_ELEMENT = 31;
/** Bytes per blob. */
export const BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT;
/** Payload bytes per blob. */
export const USABLE_BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * USABLE_BYTES_PER_FIELD_ELEMENT;
/** Most blobs one block's transaction carries (the per-transaction limit of EIP-7594). */
export const MAX_BLOBS_PER_BLOCK = 6;
/** Size of the big-endian `u32` length prefix. */
export const LENGTH_PREFIX_BYTES = 4;
/** Largest body, in bytes, that fits in `MAX_BLOBS_PER_BLOCK` blobs. */
export const MAX_BLOB_PAYLOAD_BYTES = MAX_BLOBS_PER_BLOCK * USABLE_BYTES_PER_BLOB - LENGTH_PREFIX_BYTES;

/** Number of blobs `bytesToBlobs` produces for a payload of `size` bytes. */
export function blobCountFor(size: number): number {
  return Math.max(1, Math.ceil((size + LENGTH_PREFIX_BYTES) / USABLE_BYTES_PER_BLOB));
}

/**
 * Packs a block body into blobs (`docs/l2-protocol.md`, "Block body"): the bytes prefixed with their big-endian `u32`
 * length, 31 bytes per 32-byte field element (first byte zero), 4096 elements per blob, as few blobs as possible
 * (at least one), zero padded. Throws `BlobDataTooLargeError` beyond `MAX_BLOB_PAYLOAD_BYTES`.
 */
export function bytesToBlobs(data: Uint8Array): Uint8Array[] {
  if (data.length > MAX_BLOB_PAYLOAD_BYTES) throw new BlobDataTooLargeError(data.length, MAX_BLOB_PAYLOAD_BYTES);
  const payload = new Uint8Array(LENGTH_PREFIX_BYTES + data.length);
  new DataView(payload.buffer).setUint32(0, data.length, false);
  payload.set(data, LENGTH_PREFIX_BYTES);

  const count = blobCountFor(data.length);
  const blobs: Uint8Array[] = [];
  for (let b = 0; b < count; b++) {
    const blob = new Uint8Array(BYTES_PER_BLOB);
    const start = b * USABLE_BYTES_PER_BLOB;
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      const from = start + fe * USABLE_BYTES_PER_FIELD_ELEMENT;
      if (from >= payload.length) break;
      const chunk = payload.subarray(from, from + USABLE_BYTES_PER_FIELD_ELEMENT);
      blob.set(chunk, fe * BYTES_PER_FIELD_ELEMENT + 1);
    }
    blobs.push(blob);
  }
  return blobs;
}

/**
 * Unpacks what `bytesToBlobs` packed. Strict, so that one body has one encoding: every blob is 131072 bytes, every
 * field element's first byte is zero, the length prefix fits in the blobs, the blob count is the minimal one and the
 * padding after the body is zero. Throws `MalformedBlobDataError` otherwise.
 */
export function blobsToBytes(blobs: readonly Uint8Array[]): Uint8Array {
  if (blobs.length === 0) throw new MalformedBlobDataError('no blobs');
  if (blobs.length > MAX_BLOBS_PER_BLOCK) {
    throw new MalformedBlobDataError(`${blobs.length} blobs, at most ${MAX_BLOBS_PER_BLOCK} are allowed`, {
      count: blobs.length,
    });
  }
  const payload = new Uint8Array(blobs.length * USABLE_BYTES_PER_BLOB);
  blobs.forEach((blob, b) => {
    if (blob.length !== BYTES_PER_BLOB) {
      throw new MalformedBlobDataError(`blob ${b} is ${blob.length} bytes, not ${BYTES_PER_BLOB}`, { blob: b });
    }
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      const at = fe * BYTES_PER_FIELD_ELEMENT;
      if (blob[at] !== 0) {
        throw new MalformedBlobDataError(`field element ${fe} of blob ${b} has a nonzero first byte`, {
          blob: b,
          fieldElement: fe,
        });
      }
      payload.set(
        blob.subarray(at + 1, at + BYTES_PER_FIELD_ELEMENT),
        b * USABLE_BYTES_PER_BLOB + fe * USABLE_BYTES_PER_FIELD_ELEMENT,
      );
    }
  });

  const length = new DataView(payload.buffer).getUint32(0, false);
  const end = LENGTH_PREFIX_BYTES + length;
  if (end > payload.length) {
    throw new MalformedBlobDataError(`length prefix ${length} exceeds the ${payload.length - 4} bytes the blobs hold`, {
      length,
    });
  }
  if (blobCountFor(length) !== blobs.length) {
    throw new MalformedBlobDataError(
      `${blobs.length} blobs for a ${length}-byte body that needs ${blobCountFor(length)}`,
    );
  }
  for (let i = end; i < payload.length; i++) {
    if (payload[i] !== 0) {
      throw new MalformedBlobDataError(`nonzero padding byte after the ${length}-byte body`, { offset: i });
    }
  }
  return payload.slice(LENGTH_PREFIX_BYTES, end);
}
