import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { promtool } from '../helpers/monitoring.js';
import { DEV_KEY, composeConfig, fakeDocker, parseEnvFile, root, runSpartan, spartanEnv, tempDir } from './helpers.js';

/** What `config --monitoring` writes under ./monitoring/, each a copy of docker/monitoring/'s file. */
const FILES = [
  'prometheus.yml',
  'alerts.yml',
  'grafana/provisioning/datasources/prometheus.yml',
  'grafana/provisioning/dashboards/aztec.yml',
  'grafana/dashboards/node.json',
  'grafana/dashboards/validators.json',
  'grafana/dashboards/l1.json',
];
const shipped = (f: string) => readFileSync(join(root, 'docker', 'monitoring', f), 'utf8');

describe('aztec-spartan config --monitoring', () => {
  let dir: string;
  let remove: () => void;
  let env: Record<string, string>;
  const base = ['-e', 'http://10.0.0.1:8545', '-c', 'http://10.0.0.1:5052', '-ip', '203.0.113.7', '-p', '8090'];
  const config = (args: string[]) => runSpartan(['config', '--non-interactive', ...base, ...args], { cwd: dir, env });
  const written = (f: string) => readFileSync(join(dir, 'monitoring', f), 'utf8');

  beforeEach(() => {
    ({ dir, remove } = tempDir());
    env = spartanEnv({ AZTEC_SPARTAN_DOCKER: fakeDocker(dir), VALIDATOR_PRIVATE_KEY: DEV_KEY });
  });
  afterEach(() => remove());

  it('writes the shipped monitoring files beside the compose file, Prometheus scraping this node port', () => {
    const r = config(['--monitoring']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Prometheus on http://127.0.0.1:9090');
    expect(r.stdout).toContain('Grafana on http://127.0.0.1:3000 (user admin, password GRAFANA_PASSWORD in .env)');
    for (const f of FILES) {
      // Readable by the containers' users (Prometheus and Grafana do not run as the operator).
      expect(statSync(join(dir, 'monitoring', f)).mode & 0o777, f).toBe(0o644);
      if (f === 'prometheus.yml') continue;
      expect(written(f), f).toBe(shipped(f)); // also: the copies embedded in the script are current
    }
    expect(written('prometheus.yml')).toBe(shipped('prometheus.yml').replace("'127.0.0.1:8080'", "'127.0.0.1:8090'"));
    expect(written('prometheus.yml')).toContain("targets: ['127.0.0.1:8090']");
    for (const f of FILES.filter(f => f.endsWith('.json')))
      expect(() => JSON.parse(written(f)) as unknown, f).not.toThrow();

    // Prometheus's own check of the written configuration, with the rule file it names.
    const check = promtool(['check', 'config', join(dir, 'monitoring', 'prometheus.yml')]);
    expect(check.status, check.output).toBe(0);
    expect(check.output).toContain('SUCCESS: 1 rule files found');
  });

  it('adds Prometheus and Grafana to docker-compose.yml without a profile, so `up -d` starts them; the password stays in .env', () => {
    expect(config(['--monitoring']).code).toBe(0);
    const vars = parseEnvFile(join(dir, '.env'));
    expect(vars.MONITORING).toBe('true');
    const password = vars.GRAFANA_PASSWORD!;
    expect(password).toMatch(/^[0-9a-f]{24}$/);
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    expect(compose).not.toContain(password);
    expect(compose).not.toContain('profiles');

    const c = composeConfig(dir);
    expect(c.code, c.stderr).toBe(0);
    const services = (name: string) => new RegExp(`\\n {2}${name}:\\n((?: {4}.*\\n| {2}- .*\\n)+)`).exec(c.stdout)?.[1];
    const prometheus = services('prometheus')!;
    const grafana = services('grafana')!;
    expect(prometheus).toContain('network_mode: host');
    expect(prometheus).toContain('--web.listen-address=127.0.0.1:9090');
    expect(prometheus).toMatch(/monitoring\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml:ro/);
    expect(prometheus).toMatch(/monitoring\/alerts\.yml:\/etc\/prometheus\/alerts\.yml:ro/);
    expect(grafana).toContain('network_mode: host');
    expect(grafana).toContain(`GF_SECURITY_ADMIN_PASSWORD: ${password}`); // read from .env by Compose
    expect(grafana).toContain('GF_SERVER_HTTP_ADDR: 127.0.0.1');
    expect(grafana).toMatch(/monitoring\/grafana\/dashboards:\/var\/lib\/grafana\/dashboards:ro/);
    expect(c.stdout).toMatch(/volumes:\n(?: {2}.*\n)* {2}prometheus-data: \{\}\n/);
    expect(c.stdout).toMatch(/volumes:\n(?: {2}.*\n)* {2}grafana-data: \{\}\n/);
  });

  it('is kept by the next config with the same password, and --no-monitoring takes the services out again', () => {
    expect(config(['--monitoring']).code).toBe(0);
    const password = parseEnvFile(join(dir, '.env')).GRAFANA_PASSWORD;
    expect(config([]).code).toBe(0);
    expect(parseEnvFile(join(dir, '.env'))).toMatchObject({ MONITORING: 'true', GRAFANA_PASSWORD: password });
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain('  prometheus:\n');

    const off = config(['--no-monitoring']);
    expect(off.code, off.stderr).toBe(0);
    expect(parseEnvFile(join(dir, '.env')).MONITORING).toBeUndefined();
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    expect(compose).not.toContain('prometheus');
    expect(compose).not.toContain('grafana');
    expect(composeConfig(dir).code).toBe(0);
    // Switched on again later: the same Grafana password (its data volume remembers the first one).
    expect(config(['--monitoring']).code).toBe(0);
    expect(parseEnvFile(join(dir, '.env')).GRAFANA_PASSWORD).toBe(password);
  });

  it('refuses a node port that Prometheus or Grafana takes', () => {
    const r = runSpartan(['config', '--non-interactive', ...base.slice(0, -2), '-p', '9090', '--monitoring'], {
      cwd: dir,
      env,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      '--monitoring runs Prometheus on port 9090 and Grafana on 3000: give the node another port (-p)',
    );
  });
});
