import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dashboardExpressions,
  MONITORING_DIR,
  promqlMetricNames,
  promtool,
  ruleExpressions,
} from '../helpers/monitoring.js';

// The operator's monitoring files, checked by Prometheus's own tool and Docker Compose. That the metrics they query
// exist is checked against a running node in test/e2e/monitoring.test.ts.
describe('docker/monitoring', () => {
  it('promtool accepts the Prometheus configuration and its rule file', () => {
    const config = promtool(['check', 'config', join(MONITORING_DIR, 'prometheus.yml')]);
    expect(config.output).toContain('SUCCESS');
    expect(config.status).toBe(0);
  });

  it('promtool accepts the alert rules, which cover what an operator must hear about', () => {
    const file = join(MONITORING_DIR, 'alerts.yml');
    const rules = promtool(['check', 'rules', file]);
    expect(rules.status, rules.output).toBe(0);
    const names = [...readFileSync(file, 'utf8').matchAll(/- alert: (\S+)/g)].map(m => m[1]);
    expect(names).toEqual(
      expect.arrayContaining([
        'AztecNodeDown',
        'AztecNodeNotSynced',
        'AztecMissedProposal',
        'AztecAttestationRateLow',
        'AztecTooFewPeers',
        'AztecL1Errors',
        'AztecDiskFilling',
      ]),
    );
  });

  it('promtool rejects a broken rule file (the check is not vacuous)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    try {
      const file = join(dir, 'broken.yml');
      writeFileSync(
        file,
        "groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: 'rate(aztec_x_total[5m'\n",
      );
      const broken = promtool(['check', 'rules', file]);
      expect(broken.status).not.toBe(0);
      expect(broken.output).toContain('FAILED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each rule and dashboard panel has an expression naming metrics', () => {
    const rulesText = readFileSync(join(MONITORING_DIR, 'alerts.yml'), 'utf8');
    const exprs = ruleExpressions(rulesText);
    expect(exprs).toHaveLength([...rulesText.matchAll(/- alert:/g)].length);
    const dashboards = dashboardExpressions(join(MONITORING_DIR, 'grafana', 'dashboards'));
    expect([...dashboards.keys()].sort()).toEqual(['l1.json', 'node.json', 'validators.json']);
    for (const [file, list] of dashboards) expect(list.length, file).toBeGreaterThan(3);
    // `up` is Prometheus's own series; every other expression names one of ours.
    for (const e of [...exprs, ...[...dashboards.values()].flat()].filter(e => !e.startsWith('up{'))) {
      expect(promqlMetricNames(e).length, e).toBeGreaterThan(0);
    }
  });

  it('extracts metric names from PromQL, leaving out functions, labels, grouping and ranges', () => {
    expect(
      promqlMetricNames(
        'sum by (instance, le) (rate(aztec_a_seconds_bucket{kind="rate_limited", x!="y"}[5m])) / aztec_b_total > 0.5',
      ),
    ).toEqual(['aztec_a_seconds_bucket', 'aztec_b_total']);
    expect(promqlMetricNames('predict_linear(aztec_free_bytes[6h], 24 * 3600) < 0')).toEqual(['aztec_free_bytes']);
    expect(promqlMetricNames('up{job="aztec-node"} == 0')).toEqual([]);
  });

  it('the compose file runs Prometheus and Grafana on the host network under the monitoring profile', () => {
    const r = spawnSync(
      'docker-compose',
      ['-f', join(MONITORING_DIR, 'docker-compose.yml'), '--profile', 'monitoring', 'config'],
      { encoding: 'utf8', env: { ...process.env, GRAFANA_PASSWORD: 'test-password' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/prometheus:[\s\S]*network_mode: host/);
    expect(r.stdout).toMatch(/grafana:[\s\S]*network_mode: host/);
    // Without a Grafana password the file refuses to start rather than use a default one.
    const noPassword = spawnSync('docker-compose', ['-f', join(MONITORING_DIR, 'docker-compose.yml'), 'config'], {
      encoding: 'utf8',
      env: { ...process.env, GRAFANA_PASSWORD: '' },
    });
    expect(noPassword.status).not.toBe(0);
    expect(noPassword.stderr).toContain('GRAFANA_PASSWORD');
  });
});
