import { afterEach, describe, expect, it } from 'vitest';

import { computeRootFromPath } from '../foundation/crypto/index.js';
import { AppendOnlyTree } from './append-only-tree.js';
import { NaiveTree } from './testing/naive.js';
import { StoreFixture, rng } from './testing/helpers.js';

const fx = new StoreFixture();
afterEach(() => fx.cleanup());

const code = (c: string) => expect.objectContaining({ code: c }) as Error;

describe('AppendOnlyTree', () => {
  for (const height of [3, 10, 29, 40]) {
    it(`matches a naive reference for random batches (height ${height})`, async () => {
      const store = await fx.temp();
      const tree = new AppendOnlyTree(store, { name: 't', height });
      const naive = new NaiveTree(height);
      const r = rng(height);
      expect(tree.getRoot()).toEqual(naive.root());
      const capacity = 2 ** height;
      for (let version = 0; version < 12 && naive.leaves.length < capacity; version++) {
        const fork = tree.fork();
        for (let batch = r.int(3); batch >= 0; batch--) {
          const n = Math.min(r.int(20), capacity - naive.leaves.length);
          const leaves = Array.from({ length: n }, () => (r.int(5) === 0 ? Buffer.alloc(32) : r.bytes(32)));
          leaves.forEach(l => (l[0] = 0));
          expect(fork.appendLeaves(leaves)).toBe(BigInt(naive.leaves.length));
          naive.leaves.push(...leaves);
          expect(fork.getRoot()).toEqual(naive.root());
        }
        fork.commit(BigInt(version));
        expect(tree.getRoot()).toEqual(naive.root());
        expect(tree.getSize()).toBe(BigInt(naive.leaves.length));
        for (let k = 0; k < 5; k++) {
          const index = r.int(Math.min(capacity, naive.leaves.length + 4));
          const path = tree.getSiblingPath(BigInt(index));
          expect(path).toEqual(naive.path(index));
          const leaf = tree.getLeaf(BigInt(index)) ?? Buffer.alloc(32);
          expect(computeRootFromPath(leaf, BigInt(index), path)).toEqual(tree.getRoot());
        }
      }
    });
  }

  it('fills a small tree and then refuses more leaves', async () => {
    const tree = new AppendOnlyTree(await fx.temp(), { name: 't', height: 2 });
    const fork = tree.fork();
    expect(() => fork.appendLeaves([Buffer.alloc(31)])).toThrow(code('MERKLE_BAD_LEAF'));
    fork.appendLeaves([1, 2, 3].map(b => Buffer.alloc(32, b)));
    expect(() => fork.appendLeaves([Buffer.alloc(32, 4), Buffer.alloc(32, 5)])).toThrow(code('MERKLE_TREE_FULL'));
    fork.appendLeaves([Buffer.alloc(32, 4)]);
    fork.commit(1n);
    expect(tree.getSize()).toBe(4n);
    expect(() => tree.getSiblingPath(4n)).toThrow(code('MERKLE_INDEX_OUT_OF_RANGE'));
  });

  it('serves every old version exactly: roots, sizes, leaves and sibling paths', async () => {
    const tree = new AppendOnlyTree(await fx.temp(), { name: 't', height: 40 });
    const r = rng(7);
    const naive = new NaiveTree(40);
    const history: { root: Buffer; size: number; paths: Map<number, Buffer[]> }[] = [];
    for (let version = 0; version < 80; version++) {
      const fork = tree.fork();
      const leaves = Array.from({ length: r.int(6) }, () => r.bytes(32));
      fork.appendLeaves(leaves);
      naive.leaves.push(...leaves);
      fork.commit(BigInt(version));
      const paths = new Map<number, Buffer[]>();
      for (const index of [0, naive.leaves.length - 1, naive.leaves.length, r.int(naive.leaves.length + 1)]) {
        if (index >= 0) paths.set(index, naive.path(index));
      }
      history.push({ root: naive.root(), size: naive.leaves.length, paths });
    }
    history.forEach(({ root, size, paths }, version) => {
      const v = BigInt(version);
      expect(tree.getRoot(v)).toEqual(root);
      expect(tree.getSize(v)).toBe(BigInt(size));
      expect(tree.getLeaf(BigInt(size), v)).toBeUndefined();
      if (size > 0) expect(tree.getLeaf(BigInt(size - 1), v)).toEqual(naive.leaves[size - 1]);
      for (const [index, path] of paths) {
        expect(tree.getSiblingPath(BigInt(index), v)).toEqual(path);
        const leaf = tree.getLeaf(BigInt(index), v) ?? Buffer.alloc(32);
        expect(computeRootFromPath(leaf, BigInt(index), path)).toEqual(root);
      }
    });
    expect(() => tree.getRoot(80n)).toThrow(code('MERKLE_VERSION_AHEAD'));
  });

  it('keeps a fork isolated until commit, and a discarded fork leaves no trace', async () => {
    const store = await fx.temp();
    const tree = new AppendOnlyTree(store, { name: 't', height: 20 });
    const base = tree.fork();
    base.appendLeaves([Buffer.alloc(32, 1)]);
    base.commit(1n);
    const root = tree.getRoot();
    const path = tree.getSiblingPath(0n);

    const fork = tree.fork();
    fork.appendLeaves([Buffer.alloc(32, 2), Buffer.alloc(32, 3)]);
    expect(fork.getSize()).toBe(3n);
    expect(fork.getRoot()).not.toEqual(root);
    expect(fork.getLeaf(2n)).toEqual(Buffer.alloc(32, 3));
    expect(tree.getRoot()).toEqual(root);
    expect(tree.getSize()).toBe(1n);
    expect(tree.getSiblingPath(0n)).toEqual(path);
    expect(tree.getLeaf(1n)).toBeUndefined();
    fork.discard();
    expect(() => fork.getRoot()).toThrow(code('MERKLE_FORK_CLOSED'));
    expect(() => fork.commit(2n)).toThrow(code('MERKLE_FORK_CLOSED'));
    expect(tree.getRoot()).toEqual(root);
    expect(tree.latestVersion()).toBe(1n);

    // The fork continues on top of what it committed.
    const again = tree.fork();
    again.appendLeaves([Buffer.alloc(32, 2)]);
    again.commit(2n);
    again.appendLeaves([Buffer.alloc(32, 3)]);
    again.commit(3n);
    expect(tree.getSize(2n)).toBe(2n);
    expect(tree.getSize()).toBe(3n);
  });

  it('refuses to commit a stale fork or at a version below the tip', async () => {
    const tree = new AppendOnlyTree(await fx.temp(), { name: 't', height: 8 });
    const a = tree.fork();
    const b = tree.fork();
    a.appendLeaves([Buffer.alloc(32, 1)]);
    a.commit(5n);
    b.appendLeaves([Buffer.alloc(32, 2)]);
    expect(() => b.commit(6n)).toThrow(code('MERKLE_STALE_FORK'));
    const c = tree.fork();
    c.appendLeaves([Buffer.alloc(32, 2)]);
    expect(() => c.commit(4n)).toThrow(code('MERKLE_BAD_VERSION'));
    expect(tree.getSize()).toBe(1n);
  });

  it('after unwinding, re-appending gives the same roots as a fresh tree', async () => {
    const store = await fx.temp();
    const tree = new AppendOnlyTree(store, { name: 't', height: 16 });
    const fresh = new AppendOnlyTree(store, { name: 'fresh', height: 16 });
    const r = rng(3);
    const batches = Array.from({ length: 10 }, () => Array.from({ length: 1 + r.int(9) }, () => r.bytes(32)));
    const apply = (t: AppendOnlyTree, from: number, to: number) => {
      for (let v = from; v < to; v++) {
        const fork = t.fork();
        fork.appendLeaves(batches[v]!);
        fork.commit(BigInt(v));
      }
    };
    apply(tree, 0, 10);
    const roots = Array.from({ length: 10 }, (_, v) => tree.getRoot(BigInt(v)));
    tree.unwindTo(4n);
    expect(tree.latestVersion()).toBe(4n);
    expect(tree.getRoot()).toEqual(roots[4]);
    expect(() => tree.getRoot(5n)).toThrow(code('MERKLE_VERSION_AHEAD'));
    // Different leaves at versions 5..6 (a reorg), then the original ones again.
    const other = tree.fork();
    other.appendLeaves([r.bytes(32)]);
    other.commit(5n);
    tree.unwindTo(4n);
    apply(tree, 5, 10);
    apply(fresh, 0, 10);
    for (let v = 0; v < 10; v++) expect(tree.getRoot(BigInt(v))).toEqual(fresh.getRoot(BigInt(v)));
    expect(tree.getSiblingPath(3n)).toEqual(fresh.getSiblingPath(3n));
  });
});
