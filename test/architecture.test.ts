import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

/**
 * The layers of DESIGN.md §4: a module may import from its own layer and the ones below, never above, and the
 * module graph has no cycles. A new folder under src/ must be given a layer here.
 */
const LAYERS: Record<string, number> = {
  foundation: 0,
  types: 1,
  kv: 2,
  merkle: 2,
  l1: 2,
  epoch: 3,
  archiver: 4,
  'world-state': 4,
  p2p: 4,
  sequencer: 5,
  validator: 5,
  prover: 5,
  node: 6,
  cli: 7,
};

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    // Tests and their helpers (`testing/` folders) may use any layer to set a scene up.
    if (name === 'testing') return [];
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const moduleOf = (file: string) => relative(src, file).split('/')[0]!;

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    out.push(resolve(dirname(file), m[1]!));
  }
  return out;
}

describe('architecture', () => {
  const files = tsFiles(src);
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    const from = moduleOf(file);
    for (const target of imports(file)) {
      if (!target.startsWith(src)) continue;
      const to = moduleOf(target);
      if (to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }

  it('gives every folder under src/ a layer', () => {
    const unknown = [...new Set(files.map(moduleOf))].filter(m => !(m in LAYERS) && !m.endsWith('.ts'));
    expect(unknown).toEqual([]);
  });

  it('imports only from the same layer or below', () => {
    const upward: string[] = [];
    for (const [from, tos] of edges) {
      for (const to of tos) if ((LAYERS[to] ?? 99) > (LAYERS[from] ?? -1)) upward.push(`${from} -> ${to}`);
    }
    expect(upward).toEqual([]);
  });

  it('has no cycle between modules', () => {
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const m of edges.keys()) visit(m, []);
    expect(cycles).toEqual([]);
  });
});
