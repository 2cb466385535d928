import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { nodeAdminApiSchema } from '../../src/node/api/schema.js';
import type { RunningNode } from '../../src/node/aztec-node.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';
import {
  dashboardExpressions,
  exportedFamilies,
  isExported,
  MONITORING_DIR,
  promqlMetricNames,
  ruleExpressions,
  sampleSum,
  startPrometheus,
  type PrometheusProcess,
} from '../helpers/monitoring.js';

interface Alert {
  labels: { alertname: string };
  state: 'pending' | 'firing';
}

/**
 * The operator's monitoring against a running local network node (sequencer, validator client over P2P, prover
 * node, data directory on disk): every metric the dashboards and rules query is on its /metrics, and a real
 * Prometheus with the shipped alert rules (their `for:` shortened, evaluated every second) scrapes it and fires
 * AztecNodeNotSynced while the archiver is paused, and clears it after resume.
 */
describe('monitoring a running node', () => {
  let network: InProcessNetwork;
  let node: RunningNode;
  let prometheus: PrometheusProcess | undefined;
  const dirs: string[] = [];
  const tempDir = (name: string) => {
    const d = mkdtempSync(join(tmpdir(), `aztec-monitoring-${name}-`));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    configureLogging({ level: 'warn' });
    network = await startInProcessNetwork();
    const p2pPort = await getFreePort();
    const dataDirectory = tempDir('node');
    node = await network.addNode({ node: true, archiver: true, sequencer: true, proverNode: true }, c => ({
      ...c,
      node: { ...c.node, dataDirectory },
      p2p: {
        ...c.p2p,
        enabled: true,
        p2pIp: '127.0.0.1',
        p2pPort,
        listenAddress: '127.0.0.1',
        bootstrapNodes: [],
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await network?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('exports every metric the dashboards and alert rules query', async () => {
    const res = await fetch(`${node.rpcUrl}/metrics`);
    expect(res.status).toBe(200);
    const families = exportedFamilies(await res.text());
    const queried = new Map<string, string>();
    const rules = ruleExpressions(readFileSync(join(MONITORING_DIR, 'alerts.yml'), 'utf8'));
    for (const e of rules) for (const n of promqlMetricNames(e)) queried.set(n, 'alerts.yml');
    for (const [file, exprs] of dashboardExpressions(join(MONITORING_DIR, 'grafana', 'dashboards'))) {
      for (const e of exprs) for (const n of promqlMetricNames(e)) queried.set(n, file);
    }
    expect(queried.size).toBeGreaterThan(30);
    const missing = [...queried].filter(([n]) => !isExported(n, families)).map(([n, f]) => `${n} (${f})`);
    expect(missing).toEqual([]);
  });

  it('the metrics follow what the node does: blocks built, published, downloaded and committed, L1 requests', async () => {
    const scrape = async () => (await fetch(`${node.rpcUrl}/metrics`)).text();
    // This node is the only validator: block 1 is its own, built, published to L1, then downloaded like any other.
    await until('block 1', () => node.archiver.store.getLatestBlockNumber() >= 1n);
    // The archiver can download the block before the sequencer has read its receipt.
    await until(
      'a published slot',
      async () => sampleSum(await scrape(), 'aztec_sequencer_slots_total', { outcome: 'published' }) >= 1,
    );
    const text = await scrape();
    expect(sampleSum(text, 'aztec_archiver_l2_block_number')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_world_state_block_number')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_world_state_tree_leaves', { tree: 'archive' })).toBeGreaterThanOrEqual(2);
    expect(sampleSum(text, 'aztec_world_state_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(
      sampleSum(text, 'aztec_archiver_blob_fetch_duration_seconds_count', { source: 'execution_rpc', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_sequencer_slots_total', { outcome: 'published' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_sequencer_block_build_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_sequencer_block_publish_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_sequencer_l1_gas_used_total')).toBeGreaterThan(21_000);
    expect(sampleSum(text, 'aztec_l1_requests_total', { method: 'eth_sendRawTransaction' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_l1_requests_total', { method: 'eth_getLogs' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'aztec_sequencer_state')).toBe(1);
    expect(sampleSum(text, 'aztec_l1_head_block_number')).toBeGreaterThanOrEqual(
      sampleSum(text, 'aztec_archiver_l1_block_number'),
    );
  });

  it('a real Prometheus scrapes the node, fires AztecNodeNotSynced while the archiver is paused, and clears it', async () => {
    const dir = tempDir('prometheus');
    const port = await getFreePort();
    const target = new URL(node.rpcUrl).host;
    // The shipped rules, with every `for:` cut to nothing so the test does not wait minutes.
    const rules = readFileSync(join(MONITORING_DIR, 'alerts.yml'), 'utf8').replace(/^(\s*)for: \S+$/gm, '$1for: 0s');
    writeFileSync(join(dir, 'alerts.yml'), rules);
    const config = readFileSync(join(MONITORING_DIR, 'prometheus.yml'), 'utf8')
      .replace(/scrape_interval: \S+/, 'scrape_interval: 1s')
      .replace(/evaluation_interval: \S+/, 'evaluation_interval: 1s')
      .replace("'127.0.0.1:8080'", `'${target}'`);
    expect(config).toContain(target);
    writeFileSync(join(dir, 'prometheus.yml'), config);
    prometheus = startPrometheus(join(dir, 'prometheus.yml'), join(dir, 'data'), port);
    const prom = prometheus;

    const api = async <T>(path: string): Promise<T | undefined> => {
      try {
        const r = await fetch(`${prom.url}${path}`);
        return r.ok ? ((await r.json()) as { data: T }).data : undefined;
      } catch {
        return undefined; // not listening yet
      }
    };
    const notSynced = async () =>
      (await api<{ alerts: Alert[] }>('/api/v1/alerts'))?.alerts.find(a => a.labels.alertname === 'AztecNodeNotSynced');
    const lag = async () => {
      const r = await api<{ result: { value: [number, string] }[] }>(
        '/api/v1/query?query=aztec_archiver_l1_lag_blocks',
      );
      const v = r?.result[0]?.value[1];
      return v === undefined ? undefined : Number(v);
    };

    await until(
      `Prometheus to scrape ${target} (${prom.stderr()})`,
      async () => {
        const t = await api<{ activeTargets: { health: string; labels: { job: string } }[] }>('/api/v1/targets');
        return t?.activeTargets.some(a => a.labels.job === 'aztec-node' && a.health === 'up') ?? false;
      },
      60_000,
    );
    // Synced: the lag is under the rule's threshold and the alert is not firing.
    await until('the archiver to be synced in Prometheus', async () => {
      const l = await lag();
      return l !== undefined && l <= 2 && (await notSynced()) === undefined;
    });

    const admin = createRpcClient(node.adminUrl, 'nodeAdmin', nodeAdminApiSchema);
    await admin.pauseSync();
    await until('AztecNodeNotSynced to fire', async () => (await notSynced())?.state === 'firing', 120_000);
    expect((await lag()) ?? 0).toBeGreaterThan(10);

    await admin.resumeSync();
    await until('AztecNodeNotSynced to clear', async () => (await notSynced()) === undefined, 120_000);
    expect((await lag()) ?? Infinity).toBeLessThanOrEqual(10);
  }, 300_000);
});
