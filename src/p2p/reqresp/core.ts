import { NodeError } from '../../foundation/errors/index.js';
import { createLogger } from '../../foundation/log/index.js';
import type { P2PValidationCode } from '../errors.js';
import type { P2PLibp2p, P2PStream, PeerId } from '../libp2p-node.js';
import { RateLimiter, type RateLimit } from '../rate-limiter.js';
import { reqRespProtocol, type NetworkIdentity } from '../topics.js';

/** Default per-peer limit of each protocol: 10 requests per second. */
export const DEFAULT_REQ_RATE: RateLimit = { limit: 10, windowMs: 1000 };
/** Default time for a whole request (dial, send, read the answer). */
export const DEFAULT_REQ_TIMEOUT_MS = 10_000;

/** Status byte that starts every response. */
export const ReqRespStatus = { OK: 0, RATE_LIMITED: 1, BAD_REQUEST: 2, NOT_FOUND: 3 } as const;

/** One of `ReqRespStatus`. */
export type ReqRespStatus = (typeof ReqRespStatus)[keyof typeof ReqRespStatus];

/** A req/resp protocol's name (in its id) and its size bounds, shared by server and client. */
export interface ReqRespProtocol {
  /** Short name in the protocol id (`reqRespProtocol(network, name)`). */
  name: string;
  /** Largest request a server reads. */
  maxRequestBytes: number;
  /** Largest response payload (after the status byte) a client reads. */
  maxResponseBytes: number;
}

/** What a handler answers: a payload (sent after `OK`), `NOT_FOUND`, or `BAD_REQUEST` (which penalizes the peer). */
export type ReqRespAnswer =
  | { status: typeof ReqRespStatus.OK; payload: Uint8Array }
  | { status: typeof ReqRespStatus.NOT_FOUND | typeof ReqRespStatus.BAD_REQUEST };

/** Answers one request of a protocol, already within its size bound and the peer's rate limit. */
export type ReqRespHandler = (request: Buffer, peer: PeerId) => ReqRespAnswer | Promise<ReqRespAnswer>;

/** A response a client accepts: a payload, or the peer saying it has nothing for the request. */
export type ReqRespResponse =
  { status: typeof ReqRespStatus.OK; payload: Buffer } | { status: typeof ReqRespStatus.NOT_FOUND };

/** Why a request failed on the peer's side; `INVALID_RESPONSE` penalized the peer. */
export type ReqRespErrorCode = 'RATE_LIMITED' | 'BAD_REQUEST' | 'INVALID_RESPONSE';

/** A request the peer refused, or answered with a malformed response. */
export class ReqRespError extends NodeError {
  declare readonly code: ReqRespErrorCode;

  constructor(code: ReqRespErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

/** Settings and hooks of `ReqResp`. */
export interface ReqRespOptions {
  node: P2PLibp2p;
  /** Names the protocol ids (see `reqRespProtocol`). */
  network: NetworkIdentity;
  /** Called when a peer breaks a protocol or its rate limit. */
  penalize: (peer: PeerId, code: P2PValidationCode) => void;
  /** Per peer and protocol (default `DEFAULT_REQ_RATE`). */
  rateLimit?: RateLimit;
  /** Per request (default `DEFAULT_REQ_TIMEOUT_MS`). */
  timeoutMs?: number;
}

const log = createLogger('p2p').child('reqresp');

class OversizeError extends Error {}

async function readAll(stream: P2PStream, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.from(chunk.subarray());
    size += bytes.length;
    if (size > max) throw new OversizeError(`message over ${max} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * The req/resp core: each protocol opens one stream per request; the client writes the request and closes its side;
 * the server answers a status byte (`ReqRespStatus`) then the protocol's payload, and closes. Sizes are bounded per
 * protocol on both sides; each peer may make `rateLimit` requests per window of each protocol, beyond that it is
 * answered `RATE_LIMITED` and penalized. Protocols register with `handle` before `start()`.
 */
export class ReqResp {
  private readonly handlers = new Map<string, { protocol: ReqRespProtocol; handler: ReqRespHandler }>();
  private readonly limiters = new Map<string, RateLimiter>();
  private started = false;

  constructor(private readonly opts: ReqRespOptions) {}

  /** The protocol id of `protocol` on this network. */
  protocolId(protocol: ReqRespProtocol): string {
    return reqRespProtocol(this.opts.network, protocol.name);
  }

  /** Serves `protocol` with `handler` from `start()` on. */
  handle(protocol: ReqRespProtocol, handler: ReqRespHandler): void {
    if (this.started) throw new Error(`register req/resp protocol ${protocol.name} before start()`);
    this.handlers.set(this.protocolId(protocol), { protocol, handler });
    this.limiters.set(this.protocolId(protocol), new RateLimiter(this.opts.rateLimit ?? DEFAULT_REQ_RATE));
  }

  /** Starts serving the registered protocols. */
  async start(): Promise<void> {
    this.started = true;
    for (const id of this.handlers.keys()) {
      await this.opts.node.handle(id, (stream, connection) => this.serve(id, stream, connection.remotePeer));
    }
  }

  /** Stops serving them. */
  async stop(): Promise<void> {
    for (const id of this.handlers.keys()) await this.opts.node.unhandle(id);
    this.started = false;
  }

  private async serve(id: string, stream: P2PStream, peer: PeerId): Promise<void> {
    const entry = this.handlers.get(id);
    const limiter = this.limiters.get(id);
    if (!entry || !limiter) return stream.abort(new Error(`no handler for ${id}`));
    // Penalties are given once the answer is sent: one may ban the peer, and the ban closes the connection.
    let penalty: P2PValidationCode | undefined;
    try {
      const answer = await this.answer(entry, limiter, stream, peer);
      if (answer.status === ReqRespStatus.RATE_LIMITED) penalty = 'RATE_LIMITED';
      if (answer.status === ReqRespStatus.BAD_REQUEST) penalty = 'INVALID_REQUEST';
      stream.send(Uint8Array.of(answer.status));
      if (answer.status === ReqRespStatus.OK && answer.payload.length > 0) stream.send(answer.payload);
      await stream.close();
    } catch (err) {
      log.debug('Request failed', { protocol: entry.protocol.name, peer: peer.toString(), err });
      stream.abort(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (penalty) this.opts.penalize(peer, penalty);
    }
  }

  private async answer(
    entry: { protocol: ReqRespProtocol; handler: ReqRespHandler },
    limiter: RateLimiter,
    stream: P2PStream,
    peer: PeerId,
  ): Promise<ReqRespAnswer | { status: typeof ReqRespStatus.RATE_LIMITED }> {
    let request: Buffer;
    try {
      request = await readAll(stream, entry.protocol.maxRequestBytes);
    } catch (err) {
      if (err instanceof OversizeError) return { status: ReqRespStatus.BAD_REQUEST };
      throw err;
    }
    if (!limiter.allow(peer.toString())) return { status: ReqRespStatus.RATE_LIMITED };
    return entry.handler(request, peer);
  }

  /**
   * Sends `request` to `peer` on `protocol` and returns its answer (`OK` with the payload, or `NOT_FOUND`). Throws a
   * `ReqRespError` when the peer refuses (`RATE_LIMITED`, `BAD_REQUEST`) or answers out of protocol (penalized), and
   * the stream's error on a timeout or a reset.
   */
  async request(peer: PeerId, protocol: ReqRespProtocol, request: Uint8Array): Promise<ReqRespResponse> {
    const signal = AbortSignal.timeout(this.opts.timeoutMs ?? DEFAULT_REQ_TIMEOUT_MS);
    const stream = await this.opts.node.dialProtocol(peer, this.protocolId(protocol), { signal });
    let onTimeout = () => {};
    const timedOut = new Promise<never>((_, reject) => {
      onTimeout = () => {
        const err = new Error(`${protocol.name} request to ${peer.toString()} timed out`);
        stream.abort(err);
        reject(err);
      };
    });
    signal.addEventListener('abort', onTimeout);
    // Read from the start: the answer and its end may arrive while our side is still closing, and a read that begins
    // after the stream ended would never finish. The race covers a stream that ends without telling the reader.
    const reading = readAll(stream, 1 + protocol.maxResponseBytes);
    reading.catch(() => {});
    timedOut.catch(() => {});
    let res: Buffer;
    try {
      if (request.length > 0) stream.send(request);
      await stream.close({ signal });
      res = await Promise.race([reading, timedOut]);
    } catch (err) {
      if (err instanceof OversizeError) throw this.reject(peer, protocol, err.message);
      throw err;
    } finally {
      signal.removeEventListener('abort', onTimeout);
    }
    const status = res[0];
    const context = { peer: peer.toString(), protocol: protocol.name };
    switch (status) {
      case ReqRespStatus.OK:
        return { status, payload: res.subarray(1) };
      case ReqRespStatus.NOT_FOUND:
        if (res.length > 1) throw this.reject(peer, protocol, 'a NOT_FOUND answer carries a payload');
        return { status };
      case ReqRespStatus.RATE_LIMITED:
        throw new ReqRespError(
          'RATE_LIMITED',
          `peer ${peer.toString()} rate-limited the ${protocol.name} request`,
          context,
        );
      case ReqRespStatus.BAD_REQUEST:
        throw new ReqRespError('BAD_REQUEST', `peer ${peer.toString()} refused the ${protocol.name} request`, context);
      default:
        throw this.reject(peer, protocol, status === undefined ? 'empty response' : `unknown status ${status}`);
    }
  }

  /**
   * Penalizes `peer` for a malformed response (`INVALID_REQUEST`, or `code`) and returns the error to throw. Protocol
   * clients call it when a payload does not decode or does not answer the request.
   */
  reject(
    peer: PeerId,
    protocol: ReqRespProtocol,
    reason: string,
    code: P2PValidationCode = 'INVALID_REQUEST',
  ): ReqRespError {
    this.opts.penalize(peer, code);
    const message = `peer ${peer.toString()} sent an invalid ${protocol.name} response: ${reason}`;
    return new ReqRespError('INVALID_RESPONSE', message, { peer: peer.toString(), protocol: protocol.name, code });
  }
}
