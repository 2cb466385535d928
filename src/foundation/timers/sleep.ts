/** Thrown (as the promise's rejection) by `sleep` and the waits built on it when their `AbortSignal` fires. */
export class AbortedError extends Error {
  override readonly name = 'AbortedError';

  constructor(reason?: unknown) {
    super(typeof reason === 'string' ? reason : 'aborted');
  }
}

/** Whether `err` came from an aborted wait (ours, or a `fetch`/viem call given the same signal). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortedError' || err.name === 'AbortError');
}

/** Throws `AbortedError` when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError(signal.reason);
}

/** Waits `ms`; rejects with `AbortedError` as soon as `signal` fires (at once when it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
