import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** docker/monitoring, where the operator's Prometheus, alert rules and Grafana dashboards are. */
export const MONITORING_DIR = join(import.meta.dirname, '..', '..', 'docker', 'monitoring');

/** Runs `promtool` with `args`; returns its exit status and output. */
export function promtool(args: string[]): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/**
 * The `expr` of every rule in a rules file: one-line (`expr: up == 0`) or folded (`expr: >-` and the lines indented
 * under it). The files are ours and written in these two forms; `promtool check rules` checks the rest.
 */
export function ruleExpressions(yamlText: string): string[] {
  const lines = yamlText.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)expr:\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const [, indent, rest] = m;
    if (rest !== '>-' && rest !== '>' && rest !== '|') {
      out.push(rest!);
      continue;
    }
    const block: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.search(/\S/) > indent!.length) block.push(lines[++i]!.trim());
    out.push(block.join(' '));
  }
  return out;
}

/** The `expr` of every panel target of every dashboard in `dir`, by dashboard file. */
export function dashboardExpressions(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of readdirSync(dir).filter(n => n.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    out.set(
      f,
      d.panels.flatMap(p => (p.targets ?? []).map(t => t.expr)),
    );
  }
  return out;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'rate',
  'increase',
  'irate',
  'histogram_quantile',
  'predict_linear',
  'up',
  'le',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: identifiers outside strings, label matchers (`{...}`), grouping
 * clauses (`by (...)`) and range selectors (`[5m]`), that are not functions, keywords or Prometheus's own `up`.
 */
export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  const names = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter(n => !PROMQL_WORDS.has(n.toLowerCase()) && !/^\d/.test(n)))];
}

/** The metric families a Prometheus text exposition declares (`# TYPE name kind`), with their kinds. */
export function exportedFamilies(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/**
 * The sum of the samples of `name` in a text exposition whose labels include `labels` (0 when none): e.g. a
 * counter over all its label values, or one histogram's `_count`.
 */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const m of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/gm)) {
    if (m[1] !== name) continue;
    const have = new Map<string, string>();
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) have.set(l[1]!, l[2]!);
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Whether `name` (maybe a histogram's `_bucket`, `_sum` or `_count` series) belongs to a family in `families`. */
export function isExported(name: string, families: Map<string, string>): boolean {
  if (families.has(name)) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && ['histogram', 'summary'].includes(families.get(base) ?? '');
}

/** A Prometheus server started by a test: its URL and how to stop it (by PID). */
export interface PrometheusProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** The end of its log (for a failing test's message). */
  stderr(): string;
}

/** Starts Debian's `prometheus` on 127.0.0.1:`port` with `configFile` and its TSDB in `storageDir`. */
export function startPrometheus(configFile: string, storageDir: string, port: number): PrometheusProcess {
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${storageDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
    stderr: () => stderr,
  };
}
