import type { GetRoute } from '../foundation/json-rpc/index.js';
import type { Registry } from 'prom-client';

import type { NetworkConfig } from './network-config.js';
import type { ReadinessReport } from './readiness.js';
import { renderStatusPage } from './status/page.js';
import { STATUS_JSON_PATH } from './status/page-script.js';
import type { StatusView } from './status/view.js';

/** What the status routes read. */
export interface NodeStatus {
  report(): ReadinessReport;
  /** What the status page shows (see status/view.ts). */
  view(): Promise<StatusView>;
}

/**
 * `GET /status`: the readiness report as JSON, 200 when every component is ready and 503 until then (what a
 * container healthcheck and a load balancer look at); `GET /metrics` (Prometheus text); `GET /` (the status page for
 * people) and `GET /status-page.json` (what it shows, which it refreshes itself from).
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
    '/': async () => ({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: renderStatusPage(await status.view()),
    }),
    [STATUS_JSON_PATH]: async () => ({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(await status.view()) + '\n',
    }),
  };
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
