import type { GetRoute } from '../foundation/json-rpc/index.js';
import type { Registry } from 'prom-client';

import type { NetworkConfig } from './network-config.js';
import type { ReadinessReport } from './readiness.js';

/** What the status routes read. */
export interface NodeStatus {
  report(): ReadinessReport;
  summary(): Record<string, string | number>;
}

/**
 * `GET /status`: the readiness report as JSON, 200 when every component is ready and 503 until then (what a
 * container healthcheck and a load balancer look at); `GET /metrics` (Prometheus text); `GET /` (a page for people).
 */
export function nodeRoutes(status: NodeStatus, metrics: Registry): Record<string, GetRoute> {
  return {
    '/status': () => {
      const report = status.report();
      return Promise.resolve({
        status: report.ready ? 200 : 503,
        contentType: 'application/json',
        body: JSON.stringify(report) + '\n',
      });
    },
    '/metrics': async () => ({ status: 200, contentType: metrics.contentType, body: await metrics.metrics() }),
    '/': () => {
      const rows = Object.entries(status.summary())
        .map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(String(v))}</td></tr>`)
        .join('');
      const body =
        `<!doctype html><html><head><meta charset="utf-8"><title>aztec node</title></head><body>` +
        `<h1>aztec node</h1><table>${rows}</table>` +
        `<p>JSON-RPC: POST / (node_*). Health: <a href="/status">/status</a>. Metrics: <a href="/metrics">/metrics</a>.</p>` +
        `</body></html>\n`;
      return Promise.resolve({ status: 200, contentType: 'text/html; charset=utf-8', body });
    },
  };
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** `GET /network-config`: the L1 chain id, contract addresses and bootstrap ENRs a node can start from. */
export function networkConfigRoute(get: () => NetworkConfig | undefined): GetRoute {
  return () => {
    const config = get();
    return Promise.resolve(
      config
        ? { status: 200, contentType: 'application/json', body: JSON.stringify(config) + '\n' }
        : { status: 503, contentType: 'text/plain', body: "this node does not know its network's contracts\n" },
    );
  };
}
