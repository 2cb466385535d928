import { BufferWriter, decodeExact } from '../../foundation/serialization/index.js';
import { FR_ZERO, readFr, writeFr, type Fr } from '../../types/index.js';
import type { PeerId } from '../libp2p-node.js';
import type { L2BlockSource } from '../../types/l2-block-source.js';
import { ReqRespStatus, type ReqResp, type ReqRespHandler, type ReqRespProtocol } from './core.js';

/** Longest node version string, in UTF-8 bytes. */
export const MAX_NODE_VERSION_BYTES = 64;
/**
 * Highest block number a status may report: the archive tree holds 2^29 leaves, so a larger one is a lie (and this
 * bound keeps it exact as a JSON number).
 */
const MAX_STATUS_BLOCK_NUMBER = 2n ** 32n - 1n;

/**
 * Chain status (`status`): the request is empty; the `OK` payload is the latest block number (`u64`), the archive
 * root after it (32 bytes, zero while the chain has only genesis), the proven block number (`u64`), then the node
 * version (`u8` length, at most 64 bytes of UTF-8). Block numbers above 2^32 - 1 are refused as malformed.
 */
export const STATUS_PROTOCOL: ReqRespProtocol = {
  name: 'status',
  maxRequestBytes: 0,
  maxResponseBytes: 8 + 32 + 8 + 1 + MAX_NODE_VERSION_BYTES,
};

/** A node's view of the chain, as `status` reports it. */
export interface ChainStatus {
  latestBlockNumber: bigint;
  /** The archive root after the latest block: it names the block and its history (0 while there is only genesis). */
  latestArchiveRoot: Fr;
  /** The highest block covered by an epoch proof on L1. */
  provenBlockNumber: bigint;
  /** The node software version. */
  nodeVersion: string;
}

/** Where `status` is served from (the archiver's store fits). */
export type ChainStatusSource = Pick<L2BlockSource, 'getLatestBlockNumber' | 'getArchiveRoot'> & {
  /** The highest proven block (0 when none). */
  getProvenBlockNumber(): bigint | Promise<bigint>;
};

/** Encodes a `status` payload. */
export function encodeChainStatus(status: ChainStatus): Buffer {
  const version = Buffer.from(status.nodeVersion, 'utf8');
  const w = new BufferWriter();
  w.u64(status.latestBlockNumber, 'status.latestBlockNumber');
  writeFr(w, status.latestArchiveRoot, 'status.latestArchiveRoot');
  w.u64(status.provenBlockNumber, 'status.provenBlockNumber');
  w.u8(version.length, 'status.nodeVersion.length');
  w.bytes(version, 'status.nodeVersion');
  return w.toBuffer();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes exactly one `status` payload; malformed or trailing input is a `DecodeError` (bad UTF-8 a `TypeError`). */
export function decodeChainStatus(bytes: Uint8Array): ChainStatus {
  return decodeExact(bytes, 'status', STATUS_PROTOCOL.maxResponseBytes, r => {
    const blockNumber = (what: string) => {
      const at = r.offset;
      const n = r.u64(what);
      if (n > MAX_STATUS_BLOCK_NUMBER)
        r.fail('VALUE_OUT_OF_RANGE', what, `${n} is above ${MAX_STATUS_BLOCK_NUMBER}`, at);
      return n;
    };
    const latestBlockNumber = blockNumber('status.latestBlockNumber');
    const latestArchiveRoot = readFr(r, 'status.latestArchiveRoot');
    const provenBlockNumber = blockNumber('status.provenBlockNumber');
    const length = r.u8('status.nodeVersion.length');
    if (length > MAX_NODE_VERSION_BYTES) {
      r.fail('VALUE_OUT_OF_RANGE', 'status.nodeVersion', `${length} bytes is above ${MAX_NODE_VERSION_BYTES}`);
    }
    const nodeVersion = utf8.decode(r.bytes(length, 'status.nodeVersion'));
    return { latestBlockNumber, latestArchiveRoot, provenBlockNumber, nodeVersion };
  });
}

/** Serves `status` from `source`, reporting `nodeVersion` (at most 64 UTF-8 bytes). */
export function statusHandler(source: ChainStatusSource, nodeVersion: string): ReqRespHandler {
  if (Buffer.byteLength(nodeVersion, 'utf8') > MAX_NODE_VERSION_BYTES) {
    throw new RangeError(`node version "${nodeVersion}" is over ${MAX_NODE_VERSION_BYTES} bytes`);
  }
  return async request => {
    if (request.length !== 0) return { status: ReqRespStatus.BAD_REQUEST };
    const latestBlockNumber = await source.getLatestBlockNumber();
    const status: ChainStatus = {
      latestBlockNumber,
      latestArchiveRoot:
        (latestBlockNumber > 0n ? await source.getArchiveRoot(latestBlockNumber) : undefined) ?? FR_ZERO,
      provenBlockNumber: await source.getProvenBlockNumber(),
      nodeVersion,
    };
    return { status: ReqRespStatus.OK, payload: encodeChainStatus(status) };
  };
}

/** Asks `peer` for its chain status; a payload that does not decode penalizes the peer. */
export async function requestStatus(reqResp: ReqResp, peer: PeerId): Promise<ChainStatus> {
  const res = await reqResp.request(peer, STATUS_PROTOCOL, new Uint8Array());
  if (res.status !== ReqRespStatus.OK) throw reqResp.reject(peer, STATUS_PROTOCOL, 'a NOT_FOUND answer');
  try {
    return decodeChainStatus(res.payload);
  } catch (err) {
    throw reqResp.reject(peer, STATUS_PROTOCOL, err instanceof Error ? err.message : String(err));
  }
}
