import { afterEach, describe, expect, it } from 'vitest';

import { computeRootFromPath } from '../foundation/crypto/index.js';
import { AppendOnlyTree } from './append-only-tree.js';
import { IndexedTree } from './indexed-tree.js';
import { nullifierLeaf, nullifierLeafType } from './indexed-leaves.js';
import { StoreFixture, rng } from './testing/helpers.js';
import { NaiveTree } from './testing/naive.js';

const fx = new StoreFixture();
afterEach(() => fx.cleanup());

const code = (c: string) => expect.objectContaining({ code: c }) as Error;
const leaf = (n: number) => Buffer.alloc(32, n % 256);

describe('tree history, persistence and crash safety', () => {
  it('prunes versions older than the window and says so with a typed error', async () => {
    const store = await fx.temp();
    const tree = new AppendOnlyTree(store, { name: 't', height: 40, history: 64 });
    const roots: Buffer[] = [];
    for (let v = 0; v < 100; v++) {
      const fork = tree.fork();
      fork.appendLeaves([leaf(v), leaf(v + 1)]);
      fork.commit(BigInt(v));
      roots.push(tree.getRoot());
    }
    expect(tree.oldestVersion()).toBe(36n);
    // Superseded entries are really gone: the root node keeps one entry per kept version.
    const raw = store.openMap<Buffer>('merkle:t', { keys: 'binary', values: 'binary' });
    const rootBase = Buffer.from([0x4e, 40, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(raw.count({ start: rootBase, end: Buffer.concat([rootBase, Buffer.alloc(8, 0xff)]) })).toBe(64);
    for (let v = 36; v < 100; v++) {
      expect(tree.getRoot(BigInt(v))).toEqual(roots[v]);
      expect(tree.getSize(BigInt(v))).toBe(BigInt(2 * v + 2));
      const path = tree.getSiblingPath(5n, BigInt(v));
      expect(computeRootFromPath(tree.getLeaf(5n, BigInt(v))!, 5n, path)).toEqual(roots[v]);
    }
    expect(() => tree.getRoot(35n)).toThrow(code('MERKLE_VERSION_PRUNED'));
    expect(() => tree.getSiblingPath(0n, 0n)).toThrow(code('MERKLE_VERSION_PRUNED'));
    expect(() => tree.unwindTo(35n)).toThrow(code('MERKLE_VERSION_PRUNED'));
    tree.unwindTo(36n);
    expect(tree.getRoot()).toEqual(roots[36]);
  });

  it('rejects a bad history or height option', async () => {
    const store = await fx.temp();
    expect(() => new AppendOnlyTree(store, { name: 'a', height: 0 })).toThrow(code('MERKLE_BAD_OPTION'));
    expect(() => new AppendOnlyTree(store, { name: 'a', height: 8, history: 0 })).toThrow(code('MERKLE_BAD_OPTION'));
  });

  it('reopens from the same directory with the same state (and the same height only)', async () => {
    const dir = fx.dir();
    const store = await fx.at(dir);
    const tree = new AppendOnlyTree(store, { name: 'notes', height: 40 });
    const nullifiers = new IndexedTree(store, { name: 'nullifiers', height: 40, leafType: nullifierLeafType });
    const r = rng(11);
    for (let v = 1; v <= 5; v++) {
      const a = tree.fork();
      const b = nullifiers.fork();
      store.transactionSync(() => {
        a.appendLeaves([r.bytes(32), r.bytes(32)]);
        b.insertMany([nullifierLeaf(r.field()), nullifierLeaf(r.field())]);
        a.commit(BigInt(v));
        b.commit(BigInt(v));
      });
    }
    const before = [1n, 3n, 5n].map(v => [tree.getRoot(v), nullifiers.getRoot(v), tree.getSiblingPath(7n, v)]);
    const lastLeaf = nullifiers.getLeaf(10n);
    await store.close();

    const reopened = await fx.at(dir);
    const tree2 = new AppendOnlyTree(reopened, { name: 'notes', height: 40 });
    const nullifiers2 = new IndexedTree(reopened, { name: 'nullifiers', height: 40, leafType: nullifierLeafType });
    expect([1n, 3n, 5n].map(v => [tree2.getRoot(v), nullifiers2.getRoot(v), tree2.getSiblingPath(7n, v)])).toEqual(
      before,
    );
    expect(nullifiers2.getSize()).toBe(11n);
    expect(nullifiers2.getLeaf(10n)).toEqual(lastLeaf);
    expect(tree2.latestVersion()).toBe(5n);
    expect(() => new AppendOnlyTree(reopened, { name: 'notes', height: 39 })).toThrow(code('MERKLE_BAD_OPTION'));
  });

  it('a transaction that throws after some trees committed leaves no partial writes', async () => {
    const store = await fx.temp();
    const notes = new AppendOnlyTree(store, { name: 'notes', height: 40 });
    const nullifiers = new IndexedTree(store, { name: 'nullifiers', height: 40, leafType: nullifierLeafType });
    const blocks = store.openMap<string, number>('blocks');
    const a = notes.fork();
    a.appendLeaves([leaf(1)]);
    a.commit(1n);
    const before = { notes: notes.getRoot(), nullifiers: nullifiers.getRoot(), size: nullifiers.getSize() };

    const fa = notes.fork();
    const fb = nullifiers.fork();
    fa.appendLeaves([leaf(2), leaf(3)]);
    fb.insert(nullifierLeaf(42n));
    expect(() =>
      store.transactionSync(() => {
        fa.commit(2n);
        fb.commit(2n);
        blocks.set(2, 'block 2');
        throw new Error('archiver failed midway');
      }),
    ).toThrow('archiver failed midway');

    expect(notes.getRoot()).toEqual(before.notes);
    expect(notes.latestVersion()).toBe(1n);
    expect(nullifiers.getRoot()).toEqual(before.nullifiers);
    expect(nullifiers.getSize()).toBe(before.size);
    expect(nullifiers.getMembershipWitness(42n)).toBeUndefined();
    expect(blocks.get(2)).toBeUndefined();
    // The committed-then-aborted forks now refer to a version that does not exist: they are stale.
    expect(() => fa.commit(3n)).toThrow(code('MERKLE_STALE_FORK'));
    // A fresh fork applies the same block cleanly.
    const again = notes.fork();
    again.appendLeaves([leaf(2), leaf(3)]);
    store.transactionSync(() => {
      again.commit(2n);
      blocks.set(2, 'block 2');
    });
    expect(notes.getSize()).toBe(3n);
    expect(blocks.get(2)).toBe('block 2');
  });

  it('reading a version with nothing committed, or a bad version, is a typed error', async () => {
    const tree = new AppendOnlyTree(await fx.temp(), { name: 't', height: 8 });
    expect(tree.latestVersion()).toBeUndefined();
    expect(tree.getSize()).toBe(0n);
    expect(() => tree.getRoot(0n)).toThrow(code('MERKLE_VERSION_AHEAD'));
    expect(() => tree.getRoot(-1n)).toThrow(code('MERKLE_BAD_VERSION'));
    tree.fork().commit(0n); // an empty genesis commit
    expect(tree.latestVersion()).toBe(0n);
    expect(tree.getRoot(0n)).toEqual(new NaiveTree(8).root());
    expect(tree.getSiblingPath(3n, 0n)).toEqual(new NaiveTree(8).path(3));
  });
});
