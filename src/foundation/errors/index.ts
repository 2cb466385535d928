/**
 * Base of the project's typed errors: a stable `code` (usable as a metric label or a peer-scoring reason) and
 * structured `context`. Messages are for operators: say what was wrong and what to do.
 */
export class NodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Renders an unknown thrown value as a one-line message. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
