import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import {
  BYTES_PER_BLOB,
  MAX_BLOB_PAYLOAD_BYTES,
  MAX_BLOBS_PER_BLOCK,
  USABLE_BYTES_PER_BLOB,
  blobCountFor,
  blobsToBytes,
  bytesToBlobs,
} from './encoding.js';
import { BlobDataTooLargeError, MalformedBlobDataError } from './errors.js';

describe('bytesToBlobs / blobsToBytes', () => {
  const sizes = [
    0,
    1,
    31,
    32,
    4096 * 31 - 5, // prefix + data fill one blob exactly
    4096 * 31 - 4,
    4096 * 31 - 3, // one byte into the second blob
    4096 * 31 - 1,
    4096 * 31,
    4096 * 31 + 1,
    MAX_BLOB_PAYLOAD_BYTES,
  ];
  it.each(sizes)('round-trips %i bytes', size => {
    const data = randomBytes(size);
    const blobs = bytesToBlobs(data);
    expect(blobs).toHaveLength(blobCountFor(size));
    for (const blob of blobs) {
      expect(blob).toHaveLength(BYTES_PER_BLOB);
      for (let fe = 0; fe < 4096; fe++) expect(blob[fe * 32]).toBe(0);
    }
    expect(Buffer.from(blobsToBytes(blobs)).equals(data)).toBe(true);
  });

  it('uses as few blobs as fit the prefixed body', () => {
    expect(bytesToBlobs(new Uint8Array(0))).toHaveLength(1);
    expect(bytesToBlobs(new Uint8Array(USABLE_BYTES_PER_BLOB - 4))).toHaveLength(1);
    expect(bytesToBlobs(new Uint8Array(USABLE_BYTES_PER_BLOB - 3))).toHaveLength(2);
    expect(bytesToBlobs(new Uint8Array(MAX_BLOB_PAYLOAD_BYTES))).toHaveLength(MAX_BLOBS_PER_BLOCK);
  });

  it('lays out the big-endian u32 length prefix and 31 bytes per field element', () => {
    const data = Uint8Array.from({ length: 40 }, (_, i) => i + 1);
    const [blob] = bytesToBlobs(data);
    expect([...blob!.subarray(0, 5)]).toEqual([0, 0, 0, 0, 40]);
    expect([...blob!.subarray(5, 32)]).toEqual([...data.subarray(0, 27)]);
    expect(blob![32]).toBe(0);
    expect([...blob!.subarray(33, 46)]).toEqual([...data.subarray(27, 40)]);
    expect(blob!.subarray(46).every(b => b === 0)).toBe(true);
  });

  it('refuses a body beyond six blobs', () => {
    expect(() => bytesToBlobs(new Uint8Array(MAX_BLOB_PAYLOAD_BYTES + 1))).toThrow(BlobDataTooLargeError);
  });

  it('rejects a length prefix beyond the blobs', () => {
    const [blob] = bytesToBlobs(randomBytes(100));
    blob!.set([0x00, 0x02, 0x00, 0x00], 1); // 131072 bytes claimed, one blob holds 126972
    expect(() => blobsToBytes([blob!])).toThrow(/length prefix 131072 exceeds/);
  });

  it('rejects a nonzero first byte of a field element', () => {
    const blobs = bytesToBlobs(randomBytes(200_000));
    blobs[1]![32 * 17] = 1;
    expect(() => blobsToBytes(blobs)).toThrow(MalformedBlobDataError);
    expect(() => blobsToBytes(blobs)).toThrow(/field element 17 of blob 1/);
  });

  it('rejects nonzero padding, extra blobs, wrong sizes and no blobs', () => {
    const [blob] = bytesToBlobs(randomBytes(10));
    const padded = Uint8Array.from(blob!);
    padded[BYTES_PER_BLOB - 1] = 1;
    expect(() => blobsToBytes([padded])).toThrow(/nonzero padding/);
    expect(() => blobsToBytes([blob!, new Uint8Array(BYTES_PER_BLOB)])).toThrow(/2 blobs for a 10-byte body/);
    expect(() => blobsToBytes([blob!.subarray(1)])).toThrow(/131071 bytes/);
    expect(() => blobsToBytes([])).toThrow(MalformedBlobDataError);
    expect(() => blobsToBytes(Array.from({ length: 7 }, () => blob!))).toThrow(/at most 6/);
  });
});
