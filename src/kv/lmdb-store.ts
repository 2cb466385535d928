import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { open, type Database, type Key, type RangeOptions, type RootDatabase } from 'lmdb';

import { createLogger } from '../foundation/log/index.js';
import { KvError } from './errors.js';
import type { KvEntry, KvMap, KvMapOptions, KvRange, KvStore } from './types.js';

/** Options of `openKvStore`. */
export interface OpenKvStoreOptions {
  /** Parent directory (the node's DATA_DIRECTORY). Absent: a fresh temporary directory, removed on close. */
  dataDirectory?: string;
  /** Name of the store: its sub-directory under `dataDirectory`, and its log name. */
  name: string;
  /** Most maps that may be opened in this environment (default 256). */
  maxMaps?: number;
}

const log = createLogger('kv');

/**
 * Opens the LMDB environment `<dataDirectory>/<name>`, or one in a new temporary directory when no data
 * directory is given (removed again by `close()`).
 */
export function openKvStore(options: OpenKvStoreOptions): Promise<KvStore> {
  if (!/^[A-Za-z0-9._-]+$/.test(options.name)) {
    return Promise.reject(new KvError('KV_BAD_MAP_NAME', `Bad store name "${options.name}"`, { name: options.name }));
  }
  const temporary = options.dataDirectory === undefined;
  const root = options.dataDirectory ?? mkdtempSync(join(tmpdir(), `aztec-kv-${options.name}-`));
  const path = join(root, options.name);
  try {
    mkdirSync(path, { recursive: true });
    const env = open({ path, maxDbs: options.maxMaps ?? 256 });
    log.debug('Opened store', { path, temporary });
    return Promise.resolve(new LmdbStore(env, path, temporary ? root : undefined));
  } catch (err) {
    if (temporary) rmSync(root, { recursive: true, force: true });
    const message = `Cannot open the store at ${path}: ${(err as Error).message}. Check DATA_DIRECTORY is writable.`;
    return Promise.reject(new KvError('KV_OPEN_FAILED', message, { path }, { cause: err }));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

class LmdbStore implements KvStore {
  readonly temporary: boolean;
  private depth = 0;
  private closed = false;
  private readonly maps = new Map<string, { db: Database; options: string }>();

  constructor(
    private readonly env: RootDatabase,
    readonly path: string,
    private readonly tempRoot: string | undefined,
  ) {
    this.temporary = tempRoot !== undefined;
  }

  openMap<V, K>(name: string, options: KvMapOptions = {}): KvMap<K, V> {
    this.assertOpen();
    if (name.length === 0 || name.length > 200) throw new KvError('KV_BAD_MAP_NAME', 'Bad map name', { name });
    const keys = options.keys ?? 'ordered';
    const values = options.values ?? 'structured';
    const signature = `${keys}/${values}`;
    let entry = this.maps.get(name);
    if (entry === undefined) {
      const db = this.env.openDB({
        name,
        keyEncoding: keys === 'binary' ? 'binary' : 'ordered-binary',
        encoding: values === 'structured' ? 'msgpack' : values,
        cache: false,
      });
      entry = { db, options: signature };
      this.maps.set(name, entry);
    } else if (entry.options !== signature) {
      const msg = `Map "${name}" is already open as ${entry.options}, not ${signature}`;
      throw new KvError('KV_BAD_MAP_NAME', msg, { name });
    }
    return new LmdbMap<K, V>(name, entry.db, this);
  }

  transactionSync<T>(fn: () => T): T {
    this.assertOpen();
    this.depth++;
    try {
      return this.env.transactionSync(() => {
        const result = fn();
        if (isThenable(result)) {
          throw new KvError('KV_ASYNC_TRANSACTION', 'A write transaction callback must be synchronous');
        }
        return result;
      });
    } finally {
      this.depth--;
    }
  }

  joinSync<T>(fn: () => T): T {
    if (this.depth === 0) return this.transactionSync(fn);
    this.assertOpen();
    const result = fn();
    if (isThenable(result))
      throw new KvError('KV_ASYNC_TRANSACTION', 'A write transaction callback must be synchronous');
    return result;
  }

  listMaps(): string[] {
    this.assertOpen();
    // The unnamed root database holds one key per named map.
    return [...this.env.getKeys()].filter((k): k is string => typeof k === 'string');
  }

  dropMap(name: string): void {
    this.assertWriting(name);
    if (!this.listMaps().includes(name)) return;
    const entry = this.maps.get(name);
    const db = entry?.db ?? this.env.openDB({ name, keyEncoding: 'binary', encoding: 'binary', cache: false });
    db.dropSync();
    this.maps.delete(name);
  }

  async copyTo(directory: string): Promise<void> {
    this.assertOpen();
    // mdb_env_copy2 with MDB_CP_COMPACT: one read transaction, free pages left out.
    await this.env.backup(directory, true);
  }

  otherProcesses(): number[] {
    this.assertOpen();
    this.env.readerCheck(); // clears the slots of processes that died without closing
    const pids = new Set<number>();
    for (const line of this.env.readerList().split('\n')) {
      const pid = Number(/^\s*(\d+)\s/.exec(line)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) pids.add(pid);
    }
    return [...pids];
  }

  inTransaction(): boolean {
    return this.depth > 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.env.close();
    if (this.tempRoot !== undefined) rmSync(this.tempRoot, { recursive: true, force: true });
    log.debug('Closed store', { path: this.path });
  }

  assertOpen(): void {
    if (this.closed) throw new KvError('KV_CLOSED', `The store at ${this.path} is closed`, { path: this.path });
  }

  assertWriting(map: string): void {
    this.assertOpen();
    if (this.depth === 0) {
      const msg = `Write to map "${map}" outside a write transaction: wrap it in store.transactionSync()`;
      throw new KvError('KV_NO_WRITE_TRANSACTION', msg, { map });
    }
  }
}

function toRangeOptions<K>(range: KvRange<K> | undefined): RangeOptions {
  const out: RangeOptions = {};
  if (range === undefined) return out;
  if (range.start !== undefined) out.start = range.start as Key;
  if (range.end !== undefined) out.end = range.end as Key;
  if (range.reverse !== undefined) out.reverse = range.reverse;
  if (range.limit !== undefined) out.limit = range.limit;
  return out;
}

class LmdbMap<K, V> implements KvMap<K, V> {
  constructor(
    readonly name: string,
    private readonly db: Database,
    private readonly store: LmdbStore,
  ) {}

  get(key: K): V | undefined {
    this.store.assertOpen();
    return this.db.get(key as Key) as V | undefined;
  }

  has(key: K): boolean {
    this.store.assertOpen();
    return this.db.doesExist(key as Key);
  }

  set(key: K, value: V): void {
    this.store.assertWriting(this.name);
    this.db.putSync(key as Key, value);
  }

  delete(key: K): boolean {
    this.store.assertWriting(this.name);
    return this.db.removeSync(key as Key);
  }

  *entries(range?: KvRange<K>): Iterable<KvEntry<K, V>> {
    this.store.assertOpen();
    for (const { key, value } of this.db.getRange(toRangeOptions(range))) {
      yield { key: key as K, value: value as V };
    }
  }

  *keys(range?: KvRange<K>): Iterable<K> {
    this.store.assertOpen();
    for (const key of this.db.getKeys(toRangeOptions(range))) yield key as K;
  }

  count(range?: KvRange<K>): number {
    this.store.assertOpen();
    return this.db.getCount(toRangeOptions(range));
  }

  clear(): void {
    this.store.assertWriting(this.name);
    this.db.clearSync();
  }
}
