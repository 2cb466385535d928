import type { Transport } from 'viem';
import { counter, histogram, type MetricsRegistry } from '../foundation/metrics/index.js';

/** How an L1 request failed, as a low-cardinality label. */
export type L1ErrorKind = 'rate_limited' | 'timeout' | 'http' | 'rpc' | 'other';

/**
 * Classifies an L1 request's error: HTTP 429 or JSON-RPC -32005 (limit exceeded) is `rate_limited`; a viem timeout
 * is `timeout`; another HTTP status is `http`; a JSON-RPC error code is `rpc`.
 */
export function classifyL1Error(err: unknown): L1ErrorKind {
  const e = err as { name?: unknown; status?: unknown; code?: unknown; cause?: unknown } | null;
  if (e === null || typeof e !== 'object') return 'other';
  if (e.status === 429 || e.code === -32005 || e.code === 429) return 'rate_limited';
  if (e.name === 'TimeoutError') return 'timeout';
  if (e.cause !== undefined && e.cause !== err) {
    const inner = classifyL1Error(e.cause);
    if (inner !== 'other') return inner;
  }
  if (typeof e.status === 'number') return 'http';
  if (typeof e.code === 'number') return 'rpc';
  return 'other';
}

/** The L1 client's metrics on `registry` (shared by every client built with it). */
export function l1ClientMetrics(registry: MetricsRegistry) {
  return {
    requests: counter(registry, {
      name: 'aztec_l1_requests_total',
      help: 'JSON-RPC requests sent to L1, by method',
      labelNames: ['method'],
    }),
    errors: counter(registry, {
      name: 'aztec_l1_request_errors_total',
      help: 'L1 requests that failed after retries, by method and kind (rate_limited, timeout, http, rpc, other)',
      labelNames: ['method', 'kind'],
    }),
    duration: histogram(registry, {
      name: 'aztec_l1_request_duration_seconds',
      help: 'Time an L1 request took, retries included, by method',
      labelNames: ['method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
  };
}

/** Wraps a viem transport so every request is counted and timed on `registry`, and failures counted by kind. */
export function instrumentTransport(inner: Transport, registry: MetricsRegistry): Transport {
  const m = l1ClientMetrics(registry);
  return params => {
    const t = inner(params);
    const request: typeof t.request = async (args, options) => {
      const method = args.method;
      m.requests.inc({ method });
      const end = m.duration.startTimer({ method });
      try {
        return await t.request(args, options);
      } catch (err) {
        m.errors.inc({ method, kind: classifyL1Error(err) });
        throw err;
      } finally {
        end();
      }
    };
    return { ...t, request };
  };
}
