import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openKvStore, type KvStore } from '../../kv/index.js';

/** A seeded pseudo-random generator (mulberry32), so failures reproduce. */
export function rng(seed: number): { int(max: number): number; bytes(n: number): Buffer; field(): bigint } {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  return {
    int: max => Math.floor(next() * max),
    bytes,
    field: () => {
      const b = bytes(32);
      b[0] = 0;
      return BigInt('0x' + b.toString('hex'));
    },
  };
}

/** Stores opened by a test, closed (and their directories removed) by `cleanup`. */
export class StoreFixture {
  private readonly stores: KvStore[] = [];
  private readonly dirs: string[] = [];

  async temp(): Promise<KvStore> {
    const store = await openKvStore({ name: 'merkle-test' });
    this.stores.push(store);
    return store;
  }

  dir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'merkle-test-'));
    this.dirs.push(dir);
    return dir;
  }

  async at(dataDirectory: string): Promise<KvStore> {
    const store = await openKvStore({ dataDirectory, name: 'merkle-test' });
    this.stores.push(store);
    return store;
  }

  async cleanup(): Promise<void> {
    for (const store of this.stores.splice(0)) await store.close();
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
