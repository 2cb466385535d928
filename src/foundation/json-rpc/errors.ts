/** JSON-RPC 2.0 error codes (the standard ones, plus the server range we use). */
export const RpcErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** The method ran and refused: a client error with a reason it can read (e.g. a rejected tx). */
  REJECTED: -32000,
  /** The node cannot serve this yet (e.g. still syncing). */
  UNAVAILABLE: -32001,
} as const;

/** An error a JSON-RPC method returns to its caller, with a code from `RpcErrorCode` and optional data. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** The `error` member of a JSON-RPC response. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}
