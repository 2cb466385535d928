import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { KvError } from './errors.js';
import { openKvStore } from './lmdb-store.js';
import type { KvStore } from './types.js';

const open: KvStore[] = [];
const dirs: string[] = [];

async function tempStore(dataDirectory?: string): Promise<KvStore> {
  const store = await openKvStore(dataDirectory === undefined ? { name: 'test' } : { dataDirectory, name: 'test' });
  open.push(store);
  return store;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kv-test-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openKvStore', () => {
  it('uses a temporary directory when none is given and removes it on close', async () => {
    const store = await tempStore();
    expect(store.temporary).toBe(true);
    expect(existsSync(store.path)).toBe(true);
    await store.close();
    expect(existsSync(store.path)).toBe(false);
    await store.close(); // idempotent
  });

  it('keeps data in a given directory across close and reopen', async () => {
    const dir = tempDir();
    const store = await tempStore(dir);
    expect(store.temporary).toBe(false);
    const map = store.openMap<string>('m');
    store.transactionSync(() => map.set('a', 'one'));
    await store.close();
    expect(existsSync(join(dir, 'test'))).toBe(true);
    const again = await tempStore(dir);
    expect(again.openMap<string>('m').get('a')).toBe('one');
  });

  it('refuses a bad store name', async () => {
    await expect(openKvStore({ name: '../x' })).rejects.toBeInstanceOf(KvError);
  });
});

describe('KvStore maps', () => {
  it('stores binary keys in bytewise order, including keys starting with zero bytes', async () => {
    const store = await tempStore();
    const map = store.openMap<Buffer>('bin', { keys: 'binary', values: 'binary' });
    const keys = [Buffer.from([0]), Buffer.from([0, 1]), Buffer.from([1]), Buffer.from([255, 0])];
    store.transactionSync(() => {
      for (const [i, k] of [...keys].reverse().entries()) map.set(k, Buffer.from([i]));
    });
    expect([...map.keys()].map(k => Buffer.from(k).toString('hex'))).toEqual(['00', '0001', '01', 'ff00']);
    expect(map.get(Buffer.from([0, 1]))).toEqual(Buffer.from([2]));
    const below = [...map.entries({ start: Buffer.from([1, 5]), end: Buffer.from([0]), reverse: true, limit: 1 })];
    expect(below.map(e => Buffer.from(e.key).toString('hex'))).toEqual(['01']);
    expect(map.count()).toBe(4);
  });

  it('stores structured values under ordered keys (tuples, strings, numbers)', async () => {
    const store = await tempStore();
    const map = store.openMap<{ n: bigint; b: Buffer }, [string, number]>('s');
    store.transactionSync(() => {
      map.set(['a', 2], { n: 5n, b: Buffer.from([1]) });
      map.set(['a', 10], { n: 6n, b: Buffer.from([2]) });
      map.set(['b', 1], { n: 7n, b: Buffer.from([3]) });
    });
    expect(map.get(['a', 10])).toEqual({ n: 6n, b: Buffer.from([2]) });
    expect([...map.keys({ start: ['a', 0], end: ['b', 0] })]).toEqual([
      ['a', 2],
      ['a', 10],
    ]);
    expect(map.has(['b', 1])).toBe(true);
    store.transactionSync(() => expect(map.delete(['b', 1])).toBe(true));
    expect(map.has(['b', 1])).toBe(false);
  });

  it('refuses writes outside a write transaction', async () => {
    const store = await tempStore();
    const map = store.openMap<string>('m');
    expect(() => map.set('a', 'x')).toThrow(expect.objectContaining({ code: 'KV_NO_WRITE_TRANSACTION' }) as Error);
    expect(map.get('a')).toBeUndefined();
  });

  it('refuses use after close', async () => {
    const store = await openKvStore({ name: 'closed' });
    const map = store.openMap<string>('m');
    await store.close();
    expect(() => map.get('a')).toThrow(KvError);
  });
});

describe('KvStore.transactionSync', () => {
  it('sees its own writes, and commits several maps together', async () => {
    const store = await tempStore();
    const a = store.openMap<string>('a');
    const b = store.openMap<Buffer>('b', { keys: 'binary', values: 'binary' });
    store.transactionSync(() => {
      expect(store.inTransaction()).toBe(true);
      a.set('k', 'v');
      b.set(Buffer.from([1]), Buffer.from([2]));
      expect(a.get('k')).toBe('v');
      expect(b.count()).toBe(1);
    });
    expect(store.inTransaction()).toBe(false);
    expect(a.get('k')).toBe('v');
    expect(b.get(Buffer.from([1]))).toEqual(Buffer.from([2]));
  });

  it('leaves no partial writes when the callback throws midway (crash safety)', async () => {
    const store = await tempStore();
    const a = store.openMap<string>('a');
    const b = store.openMap<string>('b');
    store.transactionSync(() => a.set('kept', 'yes'));
    expect(() =>
      store.transactionSync(() => {
        a.set('x', '1');
        a.delete('kept');
        b.set('y', '2');
        b.clear();
        b.set('z', '3');
        throw new Error('crash midway');
      }),
    ).toThrow('crash midway');
    expect(a.get('x')).toBeUndefined();
    expect(a.get('kept')).toBe('yes');
    expect(b.count()).toBe(0);
    expect(store.inTransaction()).toBe(false);
  });

  it('rolls back a nested transaction that throws but keeps the outer one', async () => {
    const store = await tempStore();
    const a = store.openMap<string>('a');
    store.transactionSync(() => {
      a.set('outer', '1');
      expect(() =>
        store.transactionSync(() => {
          a.set('inner', '2');
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
      store.transactionSync(() => a.set('inner2', '3'));
    });
    expect([...a.keys()]).toEqual(['inner2', 'outer']);
  });

  it('joinSync writes as part of the open transaction (rolled back with it), or in its own', async () => {
    const store = await tempStore();
    const a = store.openMap<string>('a');
    store.joinSync(() => a.set('own', '1'));
    expect(a.get('own')).toBe('1');
    expect(() =>
      store.transactionSync(() => {
        store.joinSync(() => a.set('joined', '2'));
        expect(a.get('joined')).toBe('2');
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(a.get('joined')).toBeUndefined();
    store.transactionSync(() => {
      // No child: a joined write stays in the outer transaction even when the joined callback throws.
      expect(() =>
        store.joinSync(() => {
          a.set('kept', '3');
          throw new Error('joined fails');
        }),
      ).toThrow('joined fails');
    });
    expect(a.get('kept')).toBe('3');
  });

  it('refuses an asynchronous callback and writes nothing', async () => {
    const store = await tempStore();
    const a = store.openMap<string>('a');
    expect(() =>
      store.transactionSync(() => {
        a.set('x', '1');
        return Promise.resolve();
      }),
    ).toThrow(expect.objectContaining({ code: 'KV_ASYNC_TRANSACTION' }) as Error);
    expect(a.get('x')).toBeUndefined();
  });

  it('lists and drops maps, and copies the environment compacted to another directory', async () => {
    const store = await tempStore();
    store.transactionSync(() => {
      store.openMap<string>('keep').set('k', 'v');
      store.openMap<string>('drop').set('d', 'x');
    });
    expect(store.listMaps()).toEqual(['drop', 'keep']);
    store.transactionSync(() => store.dropMap('drop'));
    expect(store.listMaps()).toEqual(['keep']);
    const target = tempDir();
    mkdirSync(join(target, 'test'));
    await store.copyTo(join(target, 'test'));
    const copy = await tempStore(target);
    expect(copy.listMaps()).toEqual(['keep']);
    expect(copy.openMap<string>('keep').get('k')).toBe('v');
    expect(store.otherProcesses()).toEqual([]);
  });
});
