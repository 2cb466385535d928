import { decodeL2Block, encodeL2Block, MAX_L2_BLOCK_SIZE, type Fr, type L2Block } from '../../types/index.js';
import type { PeerId } from '../libp2p-node.js';
import type { L2BlockSource } from '../../types/l2-block-source.js';
import { ReqRespStatus, type ReqResp, type ReqRespHandler, type ReqRespProtocol } from './core.js';

/**
 * Block by number (`block`): the request is a `u64` big-endian block number; the answer is `OK` with the
 * `encodeL2Block` bytes of that block, or `NOT_FOUND` when the server has no such block (genesis included).
 */
export const BLOCK_PROTOCOL: ReqRespProtocol = {
  name: 'block',
  maxRequestBytes: 8,
  maxResponseBytes: MAX_L2_BLOCK_SIZE,
};

/** Where `block` is served from (the archiver's store fits). */
export type BlockSource = Pick<L2BlockSource, 'getBlock'>;

const U64_LIMIT = 1n << 64n;

/** Serves `block` from `source`. */
export function blockHandler(source: BlockSource): ReqRespHandler {
  return async request => {
    if (request.length !== 8) return { status: ReqRespStatus.BAD_REQUEST };
    const block = await source.getBlock(request.readBigUInt64BE(0));
    return block ? { status: ReqRespStatus.OK, payload: encodeL2Block(block) } : { status: ReqRespStatus.NOT_FOUND };
  };
}

/**
 * Asks `peer` for block `n`; undefined when it answers it has none. The response must decode exactly as one block
 * numbered `n`, else the peer is penalized (`INVALID_REQUEST`). With `archiveRoot` (the archive root after block `n`,
 * e.g. from L1), the block must claim that root too, else the peer is penalized lightly (`STALE_MESSAGE`): an honest
 * peer that has not yet seen a prune or reorg serves the block it had. The body is not checked against the root here.
 */
export async function requestBlock(
  reqResp: ReqResp,
  peer: PeerId,
  n: bigint,
  archiveRoot?: Fr,
): Promise<L2Block | undefined> {
  if (n < 0n || n >= U64_LIMIT) throw new RangeError(`block number ${n} is not a u64`);
  const request = Buffer.alloc(8);
  request.writeBigUInt64BE(n);
  const res = await reqResp.request(peer, BLOCK_PROTOCOL, request);
  if (res.status === ReqRespStatus.NOT_FOUND) return undefined;
  let block: L2Block;
  try {
    block = decodeL2Block(res.payload);
  } catch (err) {
    throw reqResp.reject(peer, BLOCK_PROTOCOL, err instanceof Error ? err.message : String(err));
  }
  const got = block.header.globalVariables.blockNumber;
  if (got !== n) throw reqResp.reject(peer, BLOCK_PROTOCOL, `asked for block ${n}, got block ${got}`);
  if (archiveRoot !== undefined && block.archive.root !== archiveRoot) {
    const reason = `block ${n} has another archive root than the one expected`;
    throw reqResp.reject(peer, BLOCK_PROTOCOL, reason, 'STALE_MESSAGE');
  }
  return block;
}
