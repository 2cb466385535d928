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
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: `${namespace}_${name}`, params }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
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
