#!/usr/bin/env node
// Runs every bench in bench/ one after the other (they print their figures and ratios), then the time each took.
// `npm run bench` keeps to the short settings (≤ 15 minutes in all); `npm run bench -- --long` (or BENCH_LONG=1)
// adds the long runs: the 10,000-block sync from genesis. `npm run bench -- archiver-sync merkle` runs only those.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const long = args.includes('--long') || process.env.BENCH_LONG === '1';
const only = args.filter(a => !a.startsWith('--'));
const all = readdirSync(path.join(root, 'bench'))
  .filter(f => f.endsWith('.bench.ts'))
  .map(f => f.slice(0, -'.bench.ts'.length))
  .sort();
const unknown = only.filter(name => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench(es): ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
const env = { ...process.env, ...(long ? { BENCH_LONG: '1' } : {}) };
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const results = [];
for (const name of only.length > 0 ? only : all) {
  console.log(`\n=== bench/${name}.bench.ts${long ? ' (long)' : ''}`);
  const start = performance.now();
  const run = spawnSync(tsx, [path.join('bench', `${name}.bench.ts`)], { cwd: root, env, stdio: 'inherit' });
  if (run.error) throw run.error;
  results.push({ name, seconds: (performance.now() - start) / 1000, status: run.status ?? 1 });
}
console.log('\n=== benches');
for (const r of results) {
  console.log(
    `${r.name.padEnd(20)} ${r.seconds.toFixed(0).padStart(5)} s  ${r.status === 0 ? 'ok' : `exit ${r.status}`}`,
  );
}
console.log(
  `${'total'.padEnd(20)} ${results
    .reduce((s, r) => s + r.seconds, 0)
    .toFixed(0)
    .padStart(5)} s`,
);
process.exit(results.every(r => r.status === 0) ? 0 : 1);
