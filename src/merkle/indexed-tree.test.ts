import { afterEach, describe, expect, it } from 'vitest';

import { computeRootFromPath } from '../foundation/crypto/index.js';
import {
  nullifierLeaf,
  nullifierLeafType,
  publicDataLeaf,
  publicDataLeafType,
  type NullifierLeaf,
  type PublicDataLeaf,
} from './indexed-leaves.js';
import { IndexedTree, type IndexedWitness } from './indexed-tree.js';
import { NaiveIndexedTree } from './testing/naive.js';
import { StoreFixture, rng } from './testing/helpers.js';

const fx = new StoreFixture();
afterEach(() => fx.cleanup());

const code = (c: string) => expect.objectContaining({ code: c }) as Error;

function checkWitness<L>(tree: IndexedTree<L>, w: IndexedWitness<L>, version?: bigint): void {
  const hash = tree.leafType.hash(w.leaf);
  expect(computeRootFromPath(hash, w.index, w.siblingPath)).toEqual(tree.getRoot(version));
}

describe('IndexedTree', () => {
  for (const height of [10, 29, 40]) {
    it(`nullifier tree matches a naive reference for random inserts (height ${height})`, async () => {
      const store = await fx.temp();
      const tree = new IndexedTree(store, { name: 'n', height, leafType: nullifierLeafType });
      const naive = new NaiveIndexedTree(height, 'nullifier');
      expect(tree.getRoot()).toEqual(naive.tree().root());
      expect(tree.getSize()).toBe(1n);
      const r = rng(height);
      const inserted: bigint[] = [];
      for (let version = 1; version <= 8; version++) {
        const fork = tree.fork();
        for (let k = r.int(25); k >= 0; k--) {
          const value = k % 7 === 3 && inserted.length > 0 ? inserted[r.int(inserted.length)]! : r.field();
          if (naive.insert(value)) {
            const res = fork.insert(nullifierLeaf(value));
            expect(res).toEqual({ index: BigInt(naive.leaves.length - 1), updated: false });
            inserted.push(value);
          } else {
            const root = fork.getRoot();
            expect(() => fork.insert(nullifierLeaf(value))).toThrow(code('MERKLE_DUPLICATE_KEY'));
            expect(fork.getRoot()).toEqual(root);
          }
        }
        expect(fork.getRoot()).toEqual(naive.tree().root());
        fork.commit(BigInt(version));
        expect(tree.getRoot()).toEqual(naive.tree().root());
        expect(tree.getSize()).toBe(BigInt(naive.leaves.length));
      }
      naive.leaves.forEach((l, i) =>
        expect(tree.getLeaf(BigInt(i))).toEqual({ value: l.key, nextIndex: l.nextIndex, nextValue: l.nextKey }),
      );
      expect(tree.getSiblingPath(3n)).toEqual(naive.tree().path(3));
    });
  }

  it('public data tree updates existing slots in place and matches a naive reference', async () => {
    const tree = new IndexedTree(await fx.temp(), { name: 'p', height: 40, leafType: publicDataLeafType });
    const naive = new NaiveIndexedTree(40, 'public-data');
    const r = rng(5);
    const slots = Array.from({ length: 30 }, () => r.field());
    for (let version = 1; version <= 6; version++) {
      const fork = tree.fork();
      for (let k = 0; k < 20; k++) {
        const slot = r.int(10) === 0 ? 0n : slots[r.int(slots.length)]!;
        const value = r.field();
        const existed = naive.leaves.some(l => l.key === slot);
        naive.insert(slot, value);
        expect(fork.insert(publicDataLeaf(slot, value)).updated).toBe(existed);
        expect(fork.getMembershipWitness(slot)?.leaf.value).toBe(value);
      }
      fork.commit(BigInt(version));
      expect(tree.getRoot()).toEqual(naive.tree().root());
    }
    const some = naive.leaves[5]!;
    const leaf = tree.getLeaf(5n) as PublicDataLeaf;
    expect(leaf).toEqual({ slot: some.key, value: some.value, nextIndex: some.nextIndex, nextSlot: some.nextKey });
  });

  it('serves low leaves and (non-)membership witnesses as of any version, and in forks', async () => {
    const tree = new IndexedTree(await fx.temp(), { name: 'n', height: 40, leafType: nullifierLeafType });
    const insert = (version: bigint, values: bigint[]) => {
      const fork = tree.fork();
      fork.insertMany(values.map(nullifierLeaf));
      fork.commit(version);
    };
    insert(1n, [100n, 300n]);
    insert(2n, [200n, 500n]);

    const low = tree.findLowLeaf(250n);
    expect(low).toEqual({ index: 3n, leaf: { value: 200n, nextIndex: 2n, nextValue: 300n }, alreadyPresent: false });
    expect(tree.findLowLeaf(250n, 1n)).toEqual({
      index: 1n,
      leaf: { value: 100n, nextIndex: 2n, nextValue: 300n },
      alreadyPresent: false,
    });
    expect(tree.findLowLeaf(50n, 0n)).toEqual({
      index: 0n,
      leaf: { value: 0n, nextIndex: 0n, nextValue: 0n },
      alreadyPresent: false,
    });
    for (const [key, version] of [
      [250n, 2n],
      [250n, 1n],
      [600n, 2n],
      [200n, 1n],
    ] as const) {
      const w = tree.getLowLeafWitness(key, version);
      expect(w.alreadyPresent).toBe(false);
      expect(w.leaf.value < key && (w.leaf.nextValue === 0n || key < w.leaf.nextValue)).toBe(true);
      checkWitness(tree, w, version);
    }
    const member = tree.getMembershipWitness(200n)!;
    expect(member.index).toBe(3n);
    checkWitness(tree, member);
    expect(tree.getMembershipWitness(200n, 1n)).toBeUndefined();
    expect(tree.getMembershipWitness(0n, 0n)?.index).toBe(0n);

    const fork = tree.fork();
    fork.insert(nullifierLeaf(250n));
    expect(fork.findLowLeaf(260n)).toEqual({
      index: 5n,
      leaf: { value: 250n, nextIndex: 2n, nextValue: 300n },
      alreadyPresent: false,
    });
    const fw = fork.getMembershipWitness(250n)!;
    expect(computeRootFromPath(nullifierLeafType.hash(fw.leaf), fw.index, fw.siblingPath)).toEqual(fork.getRoot());
    expect(fork.getLeaf(3n)).toEqual<NullifierLeaf>({ value: 200n, nextIndex: 5n, nextValue: 250n });
    expect(tree.getLeaf(3n)).toEqual<NullifierLeaf>({ value: 200n, nextIndex: 2n, nextValue: 300n });
    expect(tree.getMembershipWitness(250n)).toBeUndefined();
    fork.discard();
    expect(tree.getSize()).toBe(5n);
  });

  it('after unwinding, re-inserting gives the same roots as a fresh tree', async () => {
    const store = await fx.temp();
    const tree = new IndexedTree(store, { name: 'a', height: 20, leafType: publicDataLeafType });
    const fresh = new IndexedTree(store, { name: 'b', height: 20, leafType: publicDataLeafType });
    const r = rng(9);
    const blocks = Array.from({ length: 8 }, () =>
      Array.from({ length: 6 }, () => publicDataLeaf(BigInt(r.int(40)), r.field())),
    );
    const apply = (t: IndexedTree<PublicDataLeaf>, from: number, to: number) => {
      for (let v = from; v < to; v++) {
        const fork = t.fork();
        fork.insertMany(blocks[v]!);
        fork.commit(BigInt(v + 1));
      }
    };
    apply(tree, 0, 8);
    tree.unwindTo(3n);
    expect(tree.latestVersion()).toBe(3n);
    const reorg = tree.fork();
    reorg.insert(publicDataLeaf(1000n, 1n));
    reorg.commit(4n);
    tree.unwindTo(3n);
    expect(tree.findLowLeaf(1001n).leaf.slot).not.toBe(1000n);
    apply(tree, 3, 8);
    apply(fresh, 0, 8);
    for (let v = 0n; v <= 8n; v++) {
      expect(tree.getRoot(v)).toEqual(fresh.getRoot(v));
      expect(tree.getSize(v)).toEqual(fresh.getSize(v));
    }
    expect(tree.getLowLeafWitness(17n)).toEqual(fresh.getLowLeafWitness(17n));
  });

  it('prefills once: reopening the same tree keeps its state', async () => {
    const store = await fx.temp();
    const tree = new IndexedTree(store, { name: 'n', height: 40, leafType: nullifierLeafType });
    const fork = tree.fork();
    fork.insert(nullifierLeaf(7n));
    fork.commit(1n);
    const same = new IndexedTree(store, { name: 'n', height: 40, leafType: nullifierLeafType });
    expect(same.getSize()).toBe(2n);
    expect(same.latestVersion()).toBe(1n);
    expect(same.getRoot(0n)).toEqual(new NaiveIndexedTree(40, 'nullifier').tree().root());
  });
});
