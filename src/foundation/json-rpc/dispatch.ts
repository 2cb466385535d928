import { z } from 'zod';

import type { Logger } from '../log/index.js';
import { RpcError, RpcErrorCode, type RpcErrorObject } from './errors.js';
import type { RpcMethodSchema, RpcNamespace } from './schema.js';

type Id = string | number | null;

/** A JSON-RPC 2.0 response object. */
export type RpcResponse = { jsonrpc: '2.0'; id: Id } & ({ result: unknown } | { error: RpcErrorObject });

const requestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string().min(1).max(128),
  params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  id: z.union([z.string().max(256), z.number(), z.null()]).optional(),
});

function errorResponse(id: Id, code: number, message: string, data?: unknown): RpcResponse {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

function idOf(value: unknown): Id {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = value.id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

/** How many params a method takes, when `params` has the wrong count: "expected 1 to 2 params, got 3". */
function arityProblem(tuple: RpcMethodSchema['params'], params: readonly unknown[]): string | undefined {
  const items = tuple.def.items;
  if (tuple.def.rest) return undefined;
  // Trailing params that accept `undefined` may be left out.
  let min = items.length;
  while (min > 0 && items[min - 1]!.safeParse(undefined).success) min--;
  const max = items.length;
  if (params.length >= min && params.length <= max) return undefined;
  const wanted =
    max === 0 ? 'no params' : min === max ? `${max} param${max === 1 ? '' : 's'}` : `${min} to ${max} params`;
  return `expected ${wanted}, got ${params.length}`;
}

/** Routes parsed JSON-RPC requests to namespaces, validating params and results against their schemas. */
export class RpcDispatcher {
  private readonly methods = new Map<string, { ns: RpcNamespace; name: string }>();

  constructor(
    namespaces: readonly RpcNamespace[],
    private readonly log: Logger,
  ) {
    for (const ns of namespaces) {
      for (const name of Object.keys(ns.schema)) this.methods.set(`${ns.namespace}_${name}`, { ns, name });
    }
  }

  /** Every method served, `namespace_name`. */
  methodNames(): string[] {
    return [...this.methods.keys()];
  }

  /** Handles one request object; returns undefined for a notification (no id). */
  async handle(raw: unknown): Promise<RpcResponse | undefined> {
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      return errorResponse(
        idOf(raw),
        RpcErrorCode.INVALID_REQUEST,
        `Invalid request: ${z.prettifyError(parsed.error)}`,
      );
    }
    const req = parsed.data;
    const id = req.id ?? null;
    const notification = req.id === undefined;
    const response = await this.call(id, req.method, req.params);
    return notification ? undefined : response;
  }

  private async call(id: Id, method: string, rawParams: unknown): Promise<RpcResponse> {
    const entry = this.methods.get(method);
    if (!entry) return errorResponse(id, RpcErrorCode.METHOD_NOT_FOUND, `Method not found: ${method}`);
    const { ns, name } = entry;
    const schema = ns.schema[name]!;
    if (rawParams !== undefined && !Array.isArray(rawParams)) {
      return errorResponse(id, RpcErrorCode.INVALID_PARAMS, `Invalid params for ${method}: expected an array`);
    }
    const arity = arityProblem(schema.params, rawParams ?? []);
    if (arity) return errorResponse(id, RpcErrorCode.INVALID_PARAMS, `Invalid params for ${method}: ${arity}`);
    const params = schema.params.safeParse(rawParams ?? []);
    if (!params.success) {
      return errorResponse(
        id,
        RpcErrorCode.INVALID_PARAMS,
        `Invalid params for ${method}: ${z.prettifyError(params.error)}`,
      );
    }
    try {
      const fn = (ns.impl as Record<string, (...args: unknown[]) => unknown>)[name]!;
      const result: unknown = await fn(...(params.data as unknown[]));
      const checked = schema.result.safeParse(result);
      if (!checked.success) {
        this.log.error('Method returned a result that does not match its schema', {
          method,
          error: z.prettifyError(checked.error),
        });
        return errorResponse(id, RpcErrorCode.INTERNAL_ERROR, 'Internal error');
      }
      // The schema may transform (e.g. bigint → string); send what the implementation returned, validated.
      return { jsonrpc: '2.0', id, result: result ?? null };
    } catch (err) {
      if (err instanceof RpcError) return errorResponse(id, err.code, err.message, err.data);
      this.log.error('JSON-RPC method failed', { method, error: err instanceof Error ? err.message : String(err) });
      return errorResponse(id, RpcErrorCode.INTERNAL_ERROR, 'Internal error');
    }
  }
}

export { errorResponse };
