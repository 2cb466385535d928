import { NodeError } from '../foundation/errors/index.js';

/** Why a key-value store operation was refused. */
export type KvErrorCode =
  'KV_OPEN_FAILED' | 'KV_CLOSED' | 'KV_NO_WRITE_TRANSACTION' | 'KV_ASYNC_TRANSACTION' | 'KV_BAD_MAP_NAME';

/** A typed error of the key-value store (`src/kv`). */
export class KvError extends NodeError {
  constructor(
    override readonly code: KvErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}
