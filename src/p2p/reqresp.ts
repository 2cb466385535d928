import { createLogger } from '../foundation/log/index.js';
import { decodeTx, encodeTx, frToHex, txHash, type Fr, type Tx } from '../types/index.js';
import type { P2PValidationCode } from './errors.js';
import type { P2PLibp2p, P2PStream, PeerId } from './libp2p-node.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';

/** Most hashes in one txs-by-hash request. */
export const MAX_TXS_PER_REQUEST = 64;
/** Largest response read (64 txs of at most 64 KiB, plus framing). */
const MAX_RESPONSE_BYTES = MAX_TXS_PER_REQUEST * (64 * 1024 + 4) + 1;
/** Default per-peer limit: 10 requests per second. */
export const DEFAULT_REQ_RATE: RateLimit = { limit: 10, windowMs: 1000 };

/** Status byte that starts every response. */
export const ReqRespStatus = { OK: 0, RATE_LIMITED: 1, BAD_REQUEST: 2 } as const;

/** Settings and hooks of `TxReqResp`. */
export interface TxReqRespOptions {
  node: P2PLibp2p;
  /** The protocol id (see `reqRespProtocol`). */
  protocol: string;
  /** Where served txs come from. */
  getTx: (hash: Fr) => Tx | undefined;
  /** Called when a peer breaks the protocol or its rate limit. */
  penalize: (peer: PeerId, code: P2PValidationCode) => void;
  rateLimit?: RateLimit;
  timeoutMs?: number;
}

const log = createLogger('p2p').child('reqresp');

async function readAll(stream: P2PStream, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.from(chunk.subarray());
    size += bytes.length;
    if (size > max) throw new Error(`message over ${max} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function encodeTxs(txs: readonly Tx[]): Buffer {
  const parts: Buffer[] = [Buffer.from([ReqRespStatus.OK])];
  for (const tx of txs) {
    const bytes = encodeTx(tx);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  }
  return Buffer.concat(parts);
}

function decodeTxs(buf: Buffer): Tx[] {
  const txs: Tx[] = [];
  let at = 1;
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
 * The txs-by-hash req/resp protocol: a request is up to 64 concatenated 32-byte tx hashes; the response is a status
 * byte then, for each known tx, a 4-byte big-endian length and its `encodeTx` bytes. Each peer may send
 * `rateLimit` requests per window; beyond that it gets `RATE_LIMITED` and a penalty.
 */
export class TxReqResp {
  private readonly limiter: RateLimiter;

  constructor(private readonly opts: TxReqRespOptions) {
    this.limiter = new RateLimiter(opts.rateLimit ?? DEFAULT_REQ_RATE);
  }

  /** Starts serving the protocol. */
  async start(): Promise<void> {
    await this.opts.node.handle(this.opts.protocol, (stream, connection) => this.serve(stream, connection.remotePeer));
  }

  /** Stops serving the protocol. */
  async stop(): Promise<void> {
    await this.opts.node.unhandle(this.opts.protocol);
  }

  private async serve(stream: P2PStream, peer: PeerId): Promise<void> {
    const reply = async (bytes: Uint8Array) => {
      stream.send(bytes);
      await stream.close();
    };
    try {
      const req = await readAll(stream, MAX_TXS_PER_REQUEST * 32);
      if (!this.limiter.allow(peer.toString())) {
        this.opts.penalize(peer, 'RATE_LIMITED');
        return await reply(Uint8Array.of(ReqRespStatus.RATE_LIMITED));
      }
      if (req.length === 0 || req.length % 32 !== 0) {
        this.opts.penalize(peer, 'INVALID_REQUEST');
        return await reply(Uint8Array.of(ReqRespStatus.BAD_REQUEST));
      }
      const txs: Tx[] = [];
      for (let i = 0; i < req.length; i += 32) {
        const tx = this.opts.getTx(BigInt(`0x${req.subarray(i, i + 32).toString('hex')}`) as Fr);
        if (tx) txs.push(tx);
      }
      await reply(encodeTxs(txs));
    } catch (err) {
      log.debug('Request failed', { peer: peer.toString(), err });
      stream.abort(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * Asks `peer` for the txs with `hashes` (at most 64); returns those it has. Throws `RATE_LIMITED`/`BAD_REQUEST`
   * when the peer refuses, and on a timeout or a malformed response (the peer is penalized for the latter).
   */
  async requestTxs(peer: PeerId, hashes: readonly Fr[]): Promise<Tx[]> {
    if (hashes.length === 0 || hashes.length > MAX_TXS_PER_REQUEST) {
      throw new RangeError(`request between 1 and ${MAX_TXS_PER_REQUEST} tx hashes, not ${hashes.length}`);
    }
    const signal = AbortSignal.timeout(this.opts.timeoutMs ?? 10_000);
    const stream = await this.opts.node.dialProtocol(peer, this.opts.protocol, { signal });
    stream.send(Buffer.concat(hashes.map(h => Buffer.from(frToHex(h).slice(2), 'hex'))));
    const onTimeout = () => stream.abort(new Error(`request to ${peer.toString()} timed out`));
    signal.addEventListener('abort', onTimeout);
    let res: Buffer;
    try {
      await stream.close({ signal });
      res = await readAll(stream, MAX_RESPONSE_BYTES);
    } finally {
      signal.removeEventListener('abort', onTimeout);
    }
    const status = res[0];
    if (status === ReqRespStatus.RATE_LIMITED) throw new Error(`peer ${peer.toString()} rate-limited the request`);
    if (status !== ReqRespStatus.OK) throw new Error(`peer ${peer.toString()} answered status ${status}`);
    const wanted = new Set(hashes);
    let txs: Tx[];
    try {
      txs = decodeTxs(res);
      if (txs.some(tx => !wanted.has(txHash(tx)))) throw new Error('the response holds a tx that was not asked for');
    } catch (err) {
      this.opts.penalize(peer, 'INVALID_REQUEST');
      throw err;
    }
    return txs;
  }
}
