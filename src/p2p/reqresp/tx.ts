import { decodeTx, encodeTx, frToHex, MAX_TX_SIZE, txHash, type Fr, type Tx } from '../../types/index.js';
import type { PeerId } from '../libp2p-node.js';
import { ReqRespStatus, type ReqResp, type ReqRespHandler, type ReqRespProtocol } from './core.js';

/** Most hashes in one txs-by-hash request. */
export const MAX_TXS_PER_REQUEST = 64;

/**
 * Txs by hash (`tx`): the request is 1 to 64 concatenated 32-byte tx hashes; the `OK` payload holds, for each tx the
 * server has, a `u32` big-endian length then its `encodeTx` bytes (unknown hashes are left out).
 */
export const TX_PROTOCOL: ReqRespProtocol = {
  name: 'tx',
  maxRequestBytes: MAX_TXS_PER_REQUEST * 32,
  maxResponseBytes: MAX_TXS_PER_REQUEST * (MAX_TX_SIZE + 4),
};

/** Serves `tx` from `getTx` (the tx pool). */
export function txHandler(getTx: (hash: Fr) => Tx | undefined): ReqRespHandler {
  return request => {
    if (request.length === 0 || request.length % 32 !== 0) return { status: ReqRespStatus.BAD_REQUEST };
    const parts: Buffer[] = [];
    for (let i = 0; i < request.length; i += 32) {
      const tx = getTx(BigInt(`0x${request.subarray(i, i + 32).toString('hex')}`) as Fr);
      if (!tx) continue;
      const bytes = encodeTx(tx);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      parts.push(len, bytes);
    }
    return { status: ReqRespStatus.OK, payload: Buffer.concat(parts) };
  };
}

function decodeTxs(buf: Buffer): Tx[] {
  const txs: Tx[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length) throw new Error('truncated length prefix');
    const len = buf.readUInt32BE(at);
    if (at + 4 + len > buf.length) throw new Error('truncated tx');
    txs.push(decodeTx(buf.subarray(at + 4, at + 4 + len)));
    at += 4 + len;
  }
  return txs;
}

/**
 * Asks `peer` for the txs with `hashes` (1 to 64); returns those it has. A response that does not decode or holds a
 * tx not asked for penalizes the peer; see `ReqResp.request` for the other failures.
 */
export async function requestTxs(reqResp: ReqResp, peer: PeerId, hashes: readonly Fr[]): Promise<Tx[]> {
  if (hashes.length === 0 || hashes.length > MAX_TXS_PER_REQUEST) {
    throw new RangeError(`request between 1 and ${MAX_TXS_PER_REQUEST} tx hashes, not ${hashes.length}`);
  }
  const request = Buffer.concat(hashes.map(h => Buffer.from(frToHex(h).slice(2), 'hex')));
  const res = await reqResp.request(peer, TX_PROTOCOL, request);
  // The tx protocol leaves unknown hashes out rather than answering NOT_FOUND.
  if (res.status !== ReqRespStatus.OK) throw reqResp.reject(peer, TX_PROTOCOL, 'a NOT_FOUND answer');
  const wanted = new Set(hashes);
  let txs: Tx[];
  try {
    txs = decodeTxs(res.payload);
  } catch (err) {
    throw reqResp.reject(peer, TX_PROTOCOL, err instanceof Error ? err.message : String(err));
  }
  if (txs.some(tx => !wanted.has(txHash(tx)))) throw reqResp.reject(peer, TX_PROTOCOL, 'a tx that was not asked for');
  return txs;
}
