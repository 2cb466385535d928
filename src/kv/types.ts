/** A key of a map opened with `keys: 'ordered'`: strings, numbers and tuples of them, ordered naturally. */
export type OrderedKey = string | number | readonly (string | number)[];

/** How a map encodes its keys: `ordered` (strings, numbers, tuples) or `binary` (raw bytes, compared bytewise). */
export type KvKeyEncoding = 'ordered' | 'binary';

/**
 * How a map encodes its values: `structured` (objects, arrays, strings, Buffers, bigints within 64 bits),
 * `binary` (raw bytes, read back as `Buffer`) or `string`.
 */
export type KvValueEncoding = 'structured' | 'binary' | 'string';

/** Options of `KvStore.openMap`. */
export interface KvMapOptions {
  keys?: KvKeyEncoding;
  values?: KvValueEncoding;
}

/**
 * A key range. `start` is inclusive and `end` exclusive, both in iteration order: with `reverse`, `start` is the
 * upper bound and iteration goes down towards `end`.
 */
export interface KvRange<K> {
  start?: K;
  end?: K;
  reverse?: boolean;
  limit?: number;
}

/** One entry of a range read. */
export interface KvEntry<K, V> {
  key: K;
  value: V;
}

/**
 * A named, typed map inside a `KvStore`. Reads outside a write transaction see committed data; reads inside one
 * also see that transaction's writes. Writes are only allowed inside `KvStore.transactionSync`.
 */
export interface KvMap<K, V> {
  readonly name: string;
  /** The value at `key`, or `undefined`. */
  get(key: K): V | undefined;
  /** Whether `key` is present. */
  has(key: K): boolean;
  /** Stores `value` at `key` (inside a write transaction). */
  set(key: K, value: V): void;
  /** Removes `key` (inside a write transaction); whether it was present. */
  delete(key: K): boolean;
  /** Entries in key order (see `KvRange`). */
  entries(range?: KvRange<K>): Iterable<KvEntry<K, V>>;
  /** Keys in key order (see `KvRange`). */
  keys(range?: KvRange<K>): Iterable<K>;
  /** Number of entries in the range (all entries by default). */
  count(range?: KvRange<K>): number;
  /** Removes every entry (inside a write transaction). */
  clear(): void;
}

/**
 * One LMDB environment: named maps and one synchronous write transaction that several components join, so that
 * what they write for one block commits (and is flushed to disk) together or not at all.
 */
export interface KvStore {
  /** Directory of the LMDB environment. */
  readonly path: string;
  /** Whether the store lives in a temporary directory that `close()` removes. */
  readonly temporary: boolean;
  /** Opens (creating if needed) a map with binary keys: `Buffer`/`Uint8Array`, compared bytewise. */
  openMap<V = Buffer>(name: string, options: KvMapOptions & { keys: 'binary' }): KvMap<Uint8Array, V>;
  /** Opens (creating if needed) a map with ordered keys (strings, numbers, tuples). */
  openMap<V = unknown, K extends OrderedKey = OrderedKey>(
    name: string,
    options?: KvMapOptions & { keys?: 'ordered' },
  ): KvMap<K, V>;
  /**
   * Runs `fn` in a write transaction and commits it durably when `fn` returns; if `fn` throws, nothing it wrote
   * is kept and the error is rethrown. A nested call joins the outer transaction as a child: the child's writes
   * are rolled back if it throws, and committed with the outer one otherwise. `fn` must be synchronous.
   */
  transactionSync<T>(fn: () => T): T;
  /**
   * Runs `fn` as part of the open write transaction, without a child transaction (a child costs a page copy and a
   * commit of its own), or in a new write transaction when none is open. If `fn` throws inside an open
   * transaction, what it wrote stays in that transaction: for writers that check everything before writing.
   */
  joinSync<T>(fn: () => T): T;
  /** Whether a write transaction is open (i.e. we are inside `transactionSync`). */
  inTransaction(): boolean;
  /** Names of every map in the environment (opened by this process or not), in byte order. */
  listMaps(): string[];
  /** Deletes map `name` with its entries (inside a write transaction); absent maps are ignored. */
  dropMap(name: string): void;
  /**
   * Writes a compacted copy of the environment, as of one read transaction, to `<directory>/data.mdb` (the
   * directory must exist and hold no `data.mdb`). Writers are not blocked while it runs: a running node keeps going.
   */
  copyTo(directory: string): Promise<void>;
  /** PIDs of other live processes holding a read slot of this environment (an LMDB reader-table look-up). */
  otherProcesses(): number[];
  /** Closes the environment; a temporary store's directory is removed. Idempotent. */
  close(): Promise<void>;
}
