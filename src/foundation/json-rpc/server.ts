import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLogger, type Logger } from '../log/index.js';
import { RpcDispatcher, errorResponse, serializeResponse, type RpcResponse } from './dispatch.js';
import { RpcErrorCode } from './errors.js';
import type { RpcNamespace } from './schema.js';

/** Limits that keep one client from exhausting the node. */
export interface RpcLimits {
  /** Largest request body in bytes. */
  maxBodyBytes: number;
  /** Most requests in one batch. */
  maxBatchSize: number;
}

export const DEFAULT_RPC_LIMITS: RpcLimits = { maxBodyBytes: 4 * 1024 * 1024, maxBatchSize: 100 };

/** Extra GET routes: `/status`, `/metrics`, `/`. Each returns status, content type and body. */
export type GetRoute = () => Promise<{ status: number; contentType: string; body: string }>;

export interface RpcServerOptions {
  host: string;
  port: number;
  namespaces: readonly RpcNamespace[];
  limits?: Partial<RpcLimits>;
  routes?: Record<string, GetRoute>;
  logger?: Logger;
}

class BodyTooLargeError extends Error {}

/** Reads the whole body (one chunk, as a small request arrives, is used as it is), refusing it past `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) return reject(new BodyTooLargeError());
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        reject(new BodyTooLargeError());
        return;
      }
      if (first === undefined) first = chunk;
      else (chunks ??= [first]).push(chunk);
    });
    req.on('end', () => resolve(chunks ? Buffer.concat(chunks) : (first ?? Buffer.alloc(0))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  sendText(res, status, JSON.stringify(body), close);
}

function sendText(res: ServerResponse, status: number, text: string, close = false): void {
  res.writeHead(
    status,
    close
      ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' }
      : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
  );
  res.end(text);
}

/**
 * A JSON-RPC 2.0 server over HTTP POST `/`: single requests and batches, params validated against each method's
 * schema, body and batch size capped, the standard error codes; plus GET routes (`/status`, `/metrics`, ...).
 * A malformed request gets an error response; the server keeps serving.
 */
export class JsonRpcServer {
  private server: Server | undefined;
  private readonly dispatcher: RpcDispatcher;
  private readonly limits: RpcLimits;
  private readonly log: Logger;

  constructor(private readonly opts: RpcServerOptions) {
    this.log = opts.logger ?? createLogger('json-rpc');
    this.dispatcher = new RpcDispatcher(opts.namespaces, this.log);
    this.limits = { ...DEFAULT_RPC_LIMITS, ...opts.limits };
  }

  /** Listens; resolves with the bound port (useful with port 0). */
  async start(): Promise<number> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.headersTimeout = 30_000;
    server.requestTimeout = 60_000;
    // Idle kept-alive connections stay open a minute (Node's default is 5 s). Clients close theirs a little before
    // the server's announced timeout; a client whose event loop stalls for seconds (a script running a synchronous
    // child, a busy machine) would otherwise reuse a connection the server has just closed, and fail.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    this.log.info('JSON-RPC listening', { host: this.opts.host, port, methods: this.dispatcher.methodNames().length });
    return port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method === 'GET') return await this.onGet(path, res);
      if (req.method !== 'POST' || path !== '/') {
        return send(res, 405, errorResponse(null, RpcErrorCode.INVALID_REQUEST, 'Use POST / for JSON-RPC'));
      }
      let body: Buffer;
      try {
        body = await readBody(req, this.limits.maxBodyBytes);
      } catch (err) {
        if (err instanceof BodyTooLargeError) {
          const msg = `Request body too large (limit ${this.limits.maxBodyBytes} bytes)`;
          // Close the connection: the rest of an oversized body is not worth reading.
          return send(res, 413, errorResponse(null, RpcErrorCode.INVALID_REQUEST, msg), true);
        }
        throw err;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return send(res, 200, errorResponse(null, RpcErrorCode.PARSE_ERROR, 'Parse error: the body is not valid JSON'));
      }
      const pending = Array.isArray(parsed) ? this.dispatchBatch(parsed) : this.dispatcher.handle(parsed);
      const response = pending instanceof Promise ? await pending : pending;
      if (response === undefined) {
        res.writeHead(204).end();
        return;
      }
      sendText(res, 200, serializeResponse(response));
    } catch (err) {
      this.log.error('JSON-RPC request failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) send(res, 500, errorResponse(null, RpcErrorCode.INTERNAL_ERROR, 'Internal error'));
    }
  }

  private async dispatchBatch(parsed: unknown[]): Promise<RpcResponse | RpcResponse[] | undefined> {
    if (parsed.length === 0) return errorResponse(null, RpcErrorCode.INVALID_REQUEST, 'Invalid request: empty batch');
    if (parsed.length > this.limits.maxBatchSize) {
      return errorResponse(
        null,
        RpcErrorCode.INVALID_REQUEST,
        `Batch too large: ${parsed.length} requests (limit ${this.limits.maxBatchSize})`,
      );
    }
    const responses: RpcResponse[] = [];
    // In order, one at a time: a batch cannot monopolise the event loop with parallel work.
    for (const item of parsed) {
      const r = await this.dispatcher.handle(item);
      if (r) responses.push(r);
    }
    return responses.length > 0 ? responses : undefined;
  }

  private async onGet(path: string, res: ServerResponse): Promise<void> {
    const route = this.opts.routes?.[path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    const { status, contentType, body } = await route();
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
  }
}
