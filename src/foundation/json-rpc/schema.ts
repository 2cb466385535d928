import type { z } from 'zod';

import type { RawJson } from './raw-json.js';

/** One method: a zod tuple for its positional params and a zod schema of its JSON result. */
export interface RpcMethodSchema {
  params: z.ZodTuple<readonly [z.ZodType, ...z.ZodType[]] | readonly [], z.ZodType | null>;
  result: z.ZodType;
}

/** A namespace's methods by name (without the `namespace_` prefix). */
export type RpcSchema = Record<string, RpcMethodSchema>;

/** A method's JSON-ready result: the result schema's input, or that already serialized (`RawJson`). */
type RpcResult<R extends z.ZodType> = z.input<R> | RawJson<z.input<R>>;

/** What the server calls for a method: parsed params in, a JSON-ready result (the result schema's input) out. */
export type RpcImplementation<S extends RpcSchema> = {
  [M in keyof S]: (
    ...params: z.output<S[M]['params']>
  ) => Promise<RpcResult<S[M]['result']>> | RpcResult<S[M]['result']>;
};

/** What the client offers: JSON-ready params in (the params schema's input), the parsed result out. */
export type RpcClientOf<S extends RpcSchema> = {
  [M in keyof S]: (...params: z.input<S[M]['params']>) => Promise<z.output<S[M]['result']>>;
};

/** A namespace served by a server: its prefix, schema and implementation. */
export interface RpcNamespace<S extends RpcSchema = RpcSchema> {
  namespace: string;
  schema: S;
  impl: RpcImplementation<S>;
}

/** Ties a schema to its implementation with the types checked. */
export function rpcNamespace<S extends RpcSchema>(
  namespace: string,
  schema: S,
  impl: RpcImplementation<S>,
): RpcNamespace {
  return { namespace, schema, impl };
}
