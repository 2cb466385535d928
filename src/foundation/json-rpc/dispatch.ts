import { z } from 'zod';

import type { Logger } from '../log/index.js';
import { RpcError, RpcErrorCode, type RpcErrorObject } from './errors.js';
import { RawJson } from './raw-json.js';
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

/** How many positional params a method takes: trailing params that accept `undefined` may be left out. */
interface Arity {
  min: number;
  max: number;
  /** A rest element: any count from `min`. */
  rest: boolean;
}

function arityOf(tuple: RpcMethodSchema['params']): Arity {
  const items = tuple.def.items;
  let min = items.length;
  while (min > 0 && items[min - 1]!.safeParse(undefined).success) min--;
  return { min, max: items.length, rest: Boolean(tuple.def.rest) };
}

/** "expected 1 to 2 params, got 3", or undefined when the count fits. */
function arityProblem({ min, max, rest }: Arity, given: number): string | undefined {
  if (rest || (given >= min && given <= max)) return undefined;
  const wanted =
    max === 0 ? 'no params' : min === max ? `${max} param${max === 1 ? '' : 's'}` : `${min} to ${max} params`;
  return `expected ${wanted}, got ${given}`;
}

/** A valid request as `requestSchema` parses it. */
type ParsedRequest = z.output<typeof requestSchema>;

/**
 * The request, when it is a plain valid one (every check of `requestSchema`, without zod's cost per request);
 * undefined sends it through `requestSchema`, which gives the error message (or accepts it all the same).
 */
function quickRequest(raw: unknown): ParsedRequest | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { jsonrpc, method, params, id } = raw as Record<string, unknown>;
  if (jsonrpc !== '2.0' || typeof method !== 'string' || method.length === 0 || method.length > 128) return undefined;
  if (params !== undefined && (typeof params !== 'object' || params === null)) return undefined;
  if (
    id !== undefined &&
    id !== null &&
    !(typeof id === 'number' && Number.isFinite(id)) &&
    !(typeof id === 'string' && id.length <= 256)
  ) {
    return undefined;
  }
  return { jsonrpc, method, params: params as ParsedRequest['params'], id };
}

/** One served method, with what is worked out once rather than on every call. */
interface MethodEntry {
  ns: RpcNamespace;
  name: string;
  schema: RpcMethodSchema;
  fn: (...args: unknown[]) => unknown;
  arity: Arity;
  /** No params at all: nothing to parse. */
  noParams: boolean;
  /** Raw results already checked against the result schema (each is checked once, the first time it is sent). */
  checkedRaw: WeakSet<RawJson>;
}

/**
 * Routes parsed JSON-RPC requests to namespaces, validating params and results against their schemas. A `RawJson`
 * result is checked once per instance, then sent as it is.
 */
export class RpcDispatcher {
  private readonly methods = new Map<string, MethodEntry>();

  constructor(
    namespaces: readonly RpcNamespace[],
    private readonly log: Logger,
  ) {
    for (const ns of namespaces) {
      const impl = ns.impl as Record<string, (...args: unknown[]) => unknown>;
      for (const [name, schema] of Object.entries(ns.schema)) {
        const arity = arityOf(schema.params);
        const fn = impl[name];
        this.methods.set(`${ns.namespace}_${name}`, {
          ns,
          name,
          schema,
          fn:
            typeof fn === 'function'
              ? fn.bind(impl)
              : () => {
                  throw new Error(`${ns.namespace}_${name} has no implementation`);
                },
          arity,
          noParams: arity.max === 0 && !arity.rest,
          checkedRaw: new WeakSet(),
        });
      }
    }
  }

  /** Every method served, `namespace_name`. */
  methodNames(): string[] {
    return [...this.methods.keys()];
  }

  /**
   * Handles one request object; returns undefined for a notification (no id). Answers at once (no promise) when the
   * method does: the hot reads cost no trip through the microtask queue.
   */
  handle(raw: unknown): RpcResponse | undefined | Promise<RpcResponse | undefined> {
    let req = quickRequest(raw);
    if (!req) {
      const parsed = requestSchema.safeParse(raw);
      if (!parsed.success) {
        return errorResponse(
          idOf(raw),
          RpcErrorCode.INVALID_REQUEST,
          `Invalid request: ${z.prettifyError(parsed.error)}`,
        );
      }
      req = parsed.data;
    }
    const id = req.id ?? null;
    const notification = req.id === undefined;
    const response = this.call(id, req.method, req.params);
    if (!notification) return response;
    return response instanceof Promise ? response.then(() => undefined) : undefined;
  }

  private call(id: Id, method: string, rawParams: unknown): RpcResponse | Promise<RpcResponse> {
    const entry = this.methods.get(method);
    if (!entry) return errorResponse(id, RpcErrorCode.METHOD_NOT_FOUND, `Method not found: ${method}`);
    const { schema } = entry;
    if (rawParams !== undefined && !Array.isArray(rawParams)) {
      return errorResponse(id, RpcErrorCode.INVALID_PARAMS, `Invalid params for ${method}: expected an array`);
    }
    const given = (rawParams as unknown[] | undefined) ?? [];
    const arity = arityProblem(entry.arity, given.length);
    if (arity) return errorResponse(id, RpcErrorCode.INVALID_PARAMS, `Invalid params for ${method}: ${arity}`);
    let args: unknown[] = [];
    if (!entry.noParams) {
      const params = schema.params.safeParse(given);
      if (!params.success) {
        return errorResponse(
          id,
          RpcErrorCode.INVALID_PARAMS,
          `Invalid params for ${method}: ${z.prettifyError(params.error)}`,
        );
      }
      args = params.data as unknown[];
    }
    let result: unknown;
    try {
      result = entry.fn(...args);
    } catch (err) {
      return this.failure(id, method, err);
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (r: unknown) => this.answer(id, method, entry, r),
        (err: unknown) => this.failure(id, method, err),
      );
    }
    return this.answer(id, method, entry, result);
  }

  private answer(id: Id, method: string, entry: MethodEntry, result: unknown): RpcResponse {
    const { schema } = entry;
    if (result instanceof RawJson) {
      if (!entry.checkedRaw.has(result)) {
        if (!this.resultFits(method, schema, JSON.parse(result.json))) return internalError(id);
        entry.checkedRaw.add(result);
      }
      return { jsonrpc: '2.0', id, result };
    }
    if (!this.resultFits(method, schema, result)) return internalError(id);
    // The schema may transform (e.g. bigint → string); send what the implementation returned, validated.
    return { jsonrpc: '2.0', id, result: result ?? null };
  }

  private failure(id: Id, method: string, err: unknown): RpcResponse {
    if (err instanceof RpcError) return errorResponse(id, err.code, err.message, err.data);
    this.log.error('JSON-RPC method failed', { method, error: err instanceof Error ? err.message : String(err) });
    return internalError(id);
  }

  private resultFits(method: string, schema: RpcMethodSchema, result: unknown): boolean {
    const checked = schema.result.safeParse(result);
    if (checked.success) return true;
    this.log.error('Method returned a result that does not match its schema', {
      method,
      error: z.prettifyError(checked.error),
    });
    return false;
  }
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

const internalError = (id: Id) => errorResponse(id, RpcErrorCode.INTERNAL_ERROR, 'Internal error');

/**
 * The JSON text of a response (or a batch of them): `JSON.stringify`'s, with a `RawJson` result spliced in as it is.
 */
export function serializeResponse(response: RpcResponse | RpcResponse[]): string {
  if (Array.isArray(response)) return `[${response.map(serializeResponse).join(',')}]`;
  if ('result' in response && response.result instanceof RawJson) {
    return `{"jsonrpc":"2.0","id":${JSON.stringify(response.id)},"result":${response.result.json}}`;
  }
  return JSON.stringify(response);
}

export { errorResponse };
