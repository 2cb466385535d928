import { randomBytes } from 'node:crypto';
import {
  blobsToCommitments,
  bytesToHex,
  commitmentToVersionedHash,
  concatHex,
  hexToBytes,
  sha256 as viemSha256,
  type Hex,
} from 'viem';
import { describe, expect, it } from 'vitest';

import { BYTES_PER_BLOB, bytesToBlobs } from './encoding.js';
import { BlobHashMismatchError, InvalidBlobInputError } from './errors.js';
import {
  blobCommitments,
  blobVersionedHashes,
  computeBlobsHash,
  decodeBlobInput,
  encodeBlobInput,
  verifyBlobsAgainstHashes,
  versionedHash,
} from './hashes.js';
import { getKzg, ZERO_BLOB_KZG } from './kzg.js';

const blobs = bytesToBlobs(randomBytes(150_000)); // two blobs

describe('KZG and versioned hashes', () => {
  it('loads the trusted setup once', () => {
    expect(getKzg()).toBe(getKzg());
  });

  it("knows the all-zero blob's commitment and proof without the setup (the local network's warm-up)", () => {
    const zero = new Uint8Array(BYTES_PER_BLOB);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const commitment = getKzg().blobToKzgCommitment(zero);
    expect(hex(ZERO_BLOB_KZG.blobToKzgCommitment(zero))).toBe(hex(commitment));
    expect(hex(ZERO_BLOB_KZG.computeBlobKzgProof(zero, commitment))).toBe(
      hex(getKzg().computeBlobKzgProof(zero, commitment)),
    );
  });

  it('matches viem: commitments and versioned hashes', () => {
    const ours = blobCommitments(blobs);
    const theirs = blobsToCommitments({ blobs, kzg: getKzg(), to: 'bytes' });
    expect(ours.map(c => bytesToHex(c))).toEqual(theirs.map(c => bytesToHex(c)));
    for (const c of ours) {
      expect(versionedHash(c)).toBe(commitmentToVersionedHash({ commitment: c, to: 'hex' }));
      expect(versionedHash(c).slice(0, 4)).toBe('0x01');
    }
  });

  it('computes blobsHash as sha256ToField of the concatenated hashes', () => {
    const hashes = blobVersionedHashes(blobs);
    const expected = hexToBytes(viemSha256(concatHex(hashes)));
    expected[0] = 0;
    expect(computeBlobsHash(hashes)).toBe(bytesToHex(expected));
  });

  it('verifies blobs against their hashes and names the index that does not match', () => {
    const hashes = blobVersionedHashes(blobs);
    expect(() => verifyBlobsAgainstHashes(blobs, hashes)).not.toThrow();
    const swapped = [hashes[0]!, hashes[0]!];
    expect(() => verifyBlobsAgainstHashes(blobs, swapped)).toThrow(BlobHashMismatchError);
    expect(() => verifyBlobsAgainstHashes(blobs, swapped)).toThrow(/^blob 1 /);
    expect(() => verifyBlobsAgainstHashes(blobs, hashes.slice(0, 1))).toThrow(/blob 1 .*no hash expected/);
    const invalid = Uint8Array.from(blobs[0]!);
    invalid[0] = 0xff; // beyond the field modulus: c-kzg rejects it
    expect(() => verifyBlobsAgainstHashes([invalid], hashes.slice(0, 1))).toThrow(/blob 0 .*invalid blob/);
  });
});

describe('blobInput', () => {
  const hashes: Hex[] = [`0x01${'aa'.repeat(31)}`, `0x01${'bb'.repeat(31)}`];

  it('is abi.encodePacked(uint8 n, bytes32[n])', () => {
    expect(encodeBlobInput(hashes)).toBe(`0x02${hashes[0]!.slice(2)}${hashes[1]!.slice(2)}`);
    expect(encodeBlobInput([])).toBe('0x00');
    expect(decodeBlobInput(encodeBlobInput(hashes))).toEqual(hashes);
    expect(decodeBlobInput('0x00')).toEqual([]);
  });

  it('rejects malformed input', () => {
    expect(() => decodeBlobInput(`0x03${hashes[0]!.slice(2)}`)).toThrow(InvalidBlobInputError);
    expect(() => decodeBlobInput('0x')).toThrow(InvalidBlobInputError);
    expect(() => encodeBlobInput(['0x1234'])).toThrow(/versioned hash 0/);
    expect(() => encodeBlobInput(Array.from({ length: 7 }, () => hashes[0]!))).toThrow(/at most 6/);
  });
});
