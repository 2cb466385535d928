import { z } from 'zod';

import { RpcError, RpcErrorCode, type RpcErrorObject } from './errors.js';
import type { RpcClientOf, RpcSchema } from './schema.js';

/**
 * A typed JSON-RPC client for one namespace: `client.getL2Tips()` posts `node_getL2Tips`, and the result is
 * validated and parsed with the same schema the server uses. Errors from the server are thrown as `RpcError`.
 */
export function createRpcClient<S extends RpcSchema>(
  url: string,
  namespace: string,
  schema: S,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): RpcClientOf<S> {
  let nextId = 1;
  const doFetch = opts.fetch ?? fetch;
  const call = async (name: string, params: unknown[]): Promise<unknown> => {
    const method = schema[name];
    if (!method) throw new Error(`${namespace}_${name} is not in the schema`);
    const id = nextId++;
    // Optional params left out at the end: JSON would write them as null, which an optional param refuses.
    let given = params.length;
    while (given > 0 && params[given - 1] === undefined) given--;
    if (given < params.length) params = params.slice(0, given);
    const post = () =>
      doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: `${namespace}_${name}`, params }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    let res: Response;
    try {
      res = await post();
    } catch (err) {
      // A kept-alive connection the server closed while idle fails the first write with a reset; the request
      // never reached the server, so sending it once more on a new connection is safe.
      if (!isStaleConnection(err)) throw err;
      res = await post();
    }
    const body = (await res.json()) as { result?: unknown; error?: RpcErrorObject };
    if (body.error) throw new RpcError(body.error.code, body.error.message, body.error.data);
    const parsed = method.result.safeParse(body.result);
    if (!parsed.success) {
      throw new RpcError(
        RpcErrorCode.INTERNAL_ERROR,
        `Unexpected result of ${namespace}_${name}: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  };
  return new Proxy({} as RpcClientOf<S>, {
    get: (_target, prop) => (typeof prop === 'string' ? (...params: unknown[]) => call(prop, params) : undefined),
  });
}

const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** True when `fetch` failed because a reused connection was already closed by the server (not when it refused). */
export function isStaleConnection(err: unknown): boolean {
  if (!(err instanceof TypeError)) return false;
  const cause = (err as TypeError & { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' && STALE_CONNECTION_CODES.has(cause.code);
}
