/** One blob a consensus host returned, with the commitment it claims for it (sidecars only). */
export interface ReturnedBlob {
  blob: Uint8Array;
  /** `kzg_commitment` of a sidecar; `undefined` for the `/blobs` shape, which carries none. */
  claimedCommitment?: Uint8Array;
}

function asData(body: unknown): unknown[] {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw new Error('no "data" array in the body');
  return data as unknown[];
}

/**
 * `0x…` hex to bytes. Node's hex decoder (tens of times faster than a JS one on a 128 KiB blob) stops at the first
 * pair that is not hex, so a result shorter than half the digits means the text was not hex.
 */
function hexBytes(value: unknown, what: string, size?: number): Uint8Array {
  if (typeof value !== 'string' || !value.startsWith('0x') || value.length % 2 !== 0) {
    throw new Error(`${what} is not hex`);
  }
  const buf = Buffer.from(value.slice(2), 'hex');
  if (buf.length !== (value.length - 2) / 2) throw new Error(`${what} is not hex`);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  if (size !== undefined && bytes.length !== size) throw new Error(`${what} is ${bytes.length} bytes, not ${size}`);
  return bytes;
}

/** Parses `GET /eth/v1/beacon/blobs/{block_id}`: `{ data: ["0x<blob>", ...] }`. Throws on another shape. */
export function parseBlobsResponse(body: unknown): ReturnedBlob[] {
  return asData(body).map((blob, i) => ({ blob: hexBytes(blob, `data[${i}]`) }));
}

/**
 * Parses `GET /eth/v1/beacon/blob_sidecars/{block_id}`: `{ data: [{ index, blob, kzg_commitment, kzg_proof,
 * signed_block_header, kzg_commitment_inclusion_proof }, ...] }`. Only `blob` and `kzg_commitment` are used; the
 * commitment is a claim the caller checks by recomputing it from the blob.
 */
export function parseSidecarsResponse(body: unknown): ReturnedBlob[] {
  return asData(body).map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new Error(`data[${i}] is not an object`);
    const { blob, kzg_commitment } = item as { blob?: unknown; kzg_commitment?: unknown };
    return {
      blob: hexBytes(blob, `data[${i}].blob`),
      claimedCommitment: hexBytes(kzg_commitment, `data[${i}].kzg_commitment`, 48),
    };
  });
}

/** Reads `genesis_time` from `GET /eth/v1/beacon/genesis`. */
export function parseGenesisTime(body: unknown): bigint {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  const value =
    typeof data === 'object' && data !== null ? (data as { genesis_time?: unknown }).genesis_time : undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new Error('no numeric data.genesis_time');
  return BigInt(value);
}

/** Reads `SECONDS_PER_SLOT` from `GET /eth/v1/config/spec`. */
export function parseSecondsPerSlot(body: unknown): bigint {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  const value =
    typeof data === 'object' && data !== null ? (data as { SECONDS_PER_SLOT?: unknown }).SECONDS_PER_SLOT : undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || BigInt(value) === 0n) {
    throw new Error('no positive data.SECONDS_PER_SLOT');
  }
  return BigInt(value);
}
