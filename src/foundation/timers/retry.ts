import { errorMessage } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { sleep } from './sleep.js';

/** Settings of `retryUntilDone`. */
export interface RetryOptions {
  /** What is waited for, for the log: "the L1 RPC at http://… to answer eth_chainId". */
  what: string;
  log: Logger;
  /** An error that retrying cannot fix (a wrong chain id, no contract at an address): thrown at once. */
  isFatal?: (err: unknown) => boolean;
  /** Aborts the wait (Ctrl-C during start-up). */
  signal?: AbortSignal;
  /** First pause (default 500 ms); it doubles per failure up to `maxDelayMs` (default 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `fn` until it succeeds, backing off between failures and saying in the log what it waits for and why (once
 * per distinct error, then at debug). For start-up steps against endpoints that may be down, starting or rate
 * limiting: the node waits for them as an Ethereum client waits for its execution node, instead of exiting.
 */
export async function retryUntilDone<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let delay = opts.initialDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  let last: string | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await fn();
      if (last !== undefined) opts.log.info(`Done waiting for ${opts.what}`, { attempts: attempt });
      return result;
    } catch (err) {
      if (opts.isFatal?.(err) || opts.signal?.aborted) throw err;
      const message = errorMessage(err);
      const fields = { error: message, attempt, retryInMs: delay };
      if (message !== last) opts.log.warn(`Waiting for ${opts.what}`, fields);
      else opts.log.debug(`Still waiting for ${opts.what}`, fields);
      last = message;
      await sleep(delay, opts.signal);
      delay = Math.min(max, delay * 2);
    }
  }
}
