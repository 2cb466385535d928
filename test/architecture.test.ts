import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

/**
 * The module graph of DESIGN.md §4, as data: each folder under src/ lists the folders it may import from. Data flows
 * L1 → archiver → world state → node API, and txs → pool → sequencer → proposal → attestations → L1; the rules
 * (tx validity, execution, block building, slot/epoch/committee math) live once in `protocol`, below everything
 * that applies them. Modules of one tier do not import each other unless listed: the sequencer reaches P2P and the
 * validator only through interfaces it declares (`protocol/attestations.ts`), and the node wires them together.
 * A new folder under src/ must be given its place here.
 */
const DEPENDENCIES: Record<string, readonly string[]> = {
  foundation: [],
  types: ['foundation'],
  kv: ['foundation'],
  merkle: ['foundation', 'kv'],
  l1: ['foundation', 'types'],
  'world-state': ['foundation', 'types', 'kv', 'merkle'],
  protocol: ['foundation', 'types', 'kv', 'l1', 'world-state'],
  archiver: ['foundation', 'types', 'kv', 'l1', 'world-state', 'protocol'],
  'tx-pool': ['foundation', 'types', 'kv', 'world-state', 'protocol'],
  p2p: ['foundation', 'types', 'kv', 'protocol'],
  sequencer: ['foundation', 'types', 'kv', 'l1', 'world-state', 'protocol'],
  validator: ['foundation', 'types', 'kv', 'l1', 'world-state', 'protocol', 'p2p'],
  prover: ['foundation', 'types', 'l1', 'world-state', 'protocol'],
  sentinel: ['foundation', 'types', 'kv', 'protocol'],
  slasher: ['foundation', 'types', 'l1', 'protocol'],
  snapshot: ['foundation', 'types', 'kv', 'world-state', 'archiver'],
  node: [
    'foundation',
    'types',
    'kv',
    'merkle',
    'l1',
    'world-state',
    'protocol',
    'archiver',
    'tx-pool',
    'p2p',
    'sequencer',
    'validator',
    'prover',
    'sentinel',
    'slasher',
    'snapshot',
  ],
  cli: [
    'foundation',
    'types',
    'kv',
    'l1',
    'world-state',
    'protocol',
    'archiver',
    'tx-pool',
    'p2p',
    'sequencer',
    'validator',
    'prover',
    'sentinel',
    'slasher',
    'snapshot',
    'node',
  ],
};

/** Calls that take a raw ABI: outside src/l1 a contract is reached through its typed wrapper (src/l1/contracts). */
const RAW_ABI_CALL =
  /\.(readContract|writeContract|simulateContract|estimateContractGas|getContractEvents|watchContractEvent)\(|\bencodeFunctionData\(|\bdecodeFunctionData\(/;

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    // Tests and their helpers (`testing/` folders, not compiled into dist/) may use any module to set a scene up.
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
  const edges = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = moduleOf(file);
    for (const target of imports(file)) {
      if (!target.startsWith(src)) continue;
      const to = moduleOf(target);
      if (to === from) continue;
      const byTarget = edges.get(from) ?? edges.set(from, new Map()).get(from)!;
      if (!byTarget.has(to)) byTarget.set(to, relative(src, file));
    }
  }

  it('places every folder under src/', () => {
    const unknown = [...new Set(files.map(moduleOf))].filter(m => !(m in DEPENDENCIES) && !m.endsWith('.ts'));
    expect(unknown).toEqual([]);
  });

  it('imports only what each module is allowed to (no upward or sideways imports)', () => {
    const forbidden: string[] = [];
    for (const [from, tos] of edges) {
      const allowed = DEPENDENCIES[from] ?? [];
      for (const [to, file] of tos) if (!allowed.includes(to)) forbidden.push(`${from} -> ${to} (${file})`);
    }
    expect(forbidden).toEqual([]);
  });

  it('has no cycle between modules', () => {
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const next of edges.get(node)?.keys() ?? []) visit(next, [...path, node]);
    };
    for (const m of edges.keys()) visit(m, []);
    expect(cycles).toEqual([]);
  });

  it('calls contracts through the typed wrappers of src/l1/contracts, never with a raw ABI outside src/l1', () => {
    const raw: string[] = [];
    for (const file of files) {
      if (moduleOf(file) === 'l1') continue;
      const text = readFileSync(file, 'utf8');
      if (/l1\/generated\//.test(text)) raw.push(`${relative(src, file)}: imports the generated ABIs`);
      text.split('\n').forEach((line, i) => {
        if (RAW_ABI_CALL.test(line)) raw.push(`${relative(src, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(raw).toEqual([]);
  });
});
