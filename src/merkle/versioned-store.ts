import type { KvMap, KvStore } from '../kv/index.js';
import { readU64, u64, writeU64 } from './codec.js';
import { MerkleError } from './errors.js';

// Layout of one tree's map `merkle:<name>` (binary keys, bytewise order; u64 = 8 bytes big-endian):
//   'N' level:u8 index:u64 version:u64 -> node hash (32 bytes)
//   'P' index:u64 version:u64          -> leaf preimage (indexed trees)
//   'K' key:32 version:u64             -> leaf index:u64 (indexed trees: sorted leaf keys, for low-leaf lookup)
//   'S' version:u64                    -> size (next leaf index):u64; the last one is the tip version
//   'L' version:u64 seq:u32            -> change log: [len:u8 base key] of every versioned entry written
//   'O'                                -> oldest retained version:u64;  'H' -> height:u8
// A versioned entry is `base ‖ version`. The value of `base` as of version v is the entry with the largest
// version <= v: one reverse range read. Absent means empty (zero hash / no leaf). The change log lets unwind
// delete exactly what versions > n wrote, and pruning delete entries superseded at or before the oldest kept
// version.
const NODE = 0x4e;
const LEAF = 0x50;
const KEY = 0x4b;
const SIZE = 0x53;
const LOG = 0x4c;
const OLDEST_KEY = Buffer.from('O');
const HEIGHT_KEY = Buffer.from('H');
const SIZE_BASE = Buffer.from([SIZE]);
const MAX_U64 = Buffer.alloc(8, 0xff);

/** What one commit writes: the tree's new size and every node, leaf preimage and sorted key it changed. */
export interface TreeChanges {
  size: number;
  nodes: Iterable<readonly [level: number, index: number, hash: Buffer]>;
  leaves?: Iterable<readonly [index: number, preimage: Buffer]>;
  keys?: Iterable<readonly [key: Buffer, index: number]>;
}

function versioned(base: Uint8Array, version: number): Buffer {
  const out = Buffer.allocUnsafe(base.length + 8);
  out.set(base, 0);
  writeU64(out, version, base.length);
  return out;
}

function nodeBase(level: number, index: number): Buffer {
  const out = Buffer.allocUnsafe(10);
  out[0] = NODE;
  out[1] = level;
  writeU64(out, index, 2);
  return out;
}

function leafBase(index: number): Buffer {
  return Buffer.concat([Buffer.from([LEAF]), u64(index)]);
}

function keyBase(key: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([KEY]), key]);
}

function logKey(version: number, seq: number): Buffer {
  const out = Buffer.allocUnsafe(13);
  out[0] = LOG;
  writeU64(out, version, 1);
  out.writeUInt32BE(seq, 9);
  return out;
}

function* logBases(chunk: Buffer): Iterable<Buffer> {
  for (let pos = 0; pos < chunk.length;) {
    const len = chunk[pos]!;
    yield chunk.subarray(pos + 1, pos + 1 + len);
    pos += 1 + len;
  }
}

/** Versioned persistent storage of one tree's nodes, leaves and sorted keys (see the layout above). */
export class VersionedTreeStore {
  private readonly map: KvMap<Uint8Array, Buffer>;

  constructor(
    readonly kv: KvStore,
    readonly name: string,
    readonly height: number,
    readonly history: number | undefined,
  ) {
    this.map = kv.openMap<Buffer>(`merkle:${name}`, { keys: 'binary', values: 'binary' });
    const stored = this.map.get(HEIGHT_KEY);
    if (stored !== undefined && stored[0] !== height) {
      const msg = `Tree "${name}" was created with height ${stored[0]}, not ${height}`;
      throw new MerkleError('MERKLE_BAD_OPTION', msg, { name, height, stored: stored[0] });
    }
  }

  /** The latest committed version, or `undefined` before the first commit. */
  tip(): number | undefined {
    const start = Buffer.concat([SIZE_BASE, MAX_U64]);
    for (const key of this.map.keys({ start, end: SIZE_BASE, reverse: true, limit: 1 })) {
      return readU64(key, 1);
    }
    return undefined;
  }

  /** The oldest version that can still be read, or `undefined` before the first commit. */
  oldest(): number | undefined {
    const value = this.map.get(OLDEST_KEY);
    return value === undefined ? undefined : readU64(value);
  }

  private latest(base: Buffer, version: number): Buffer | undefined {
    for (const e of this.map.entries({ start: versioned(base, version), end: base, reverse: true, limit: 1 })) {
      return e.value;
    }
    return undefined;
  }

  /** Node hash at (level, index) as of `version`; `undefined` when never written (an empty subtree). */
  node(level: number, index: number, version: number): Buffer | undefined {
    return this.latest(nodeBase(level, index), version);
  }

  /** Size (next leaf index) as of `version`. */
  size(version: number): number {
    const value = this.latest(SIZE_BASE, version);
    return value === undefined ? 0 : readU64(value);
  }

  /** Leaf preimage at `index` as of `version`. */
  leaf(index: number, version: number): Buffer | undefined {
    return this.latest(leafBase(index), version);
  }

  /** The largest sorted key `<= key` present as of `version`, with its leaf index. */
  lowKey(key: Buffer, version: number): { key: Buffer; index: number } | undefined {
    const start = Buffer.concat([keyBase(key), MAX_U64]);
    for (const e of this.map.entries({ start, end: Buffer.from([KEY]), reverse: true })) {
      if (readU64(e.key, 33) <= version) return { key: Buffer.from(e.key.subarray(1, 33)), index: readU64(e.value) };
    }
    return undefined;
  }

  /** Every stored node entry (all kept versions), in key order: what an integrity check walks. */
  *nodeEntries(): Iterable<{ level: number; index: number; version: number; hash: Buffer }> {
    for (const { key, value } of this.map.entries({ start: Buffer.from([NODE]), end: Buffer.from([NODE + 1]) })) {
      yield { level: key[1]!, index: readU64(key, 2), version: readU64(key, 10), hash: value };
    }
  }

  /** Every stored leaf preimage entry (indexed trees, all kept versions), in key order. */
  *leafEntries(): Iterable<{ index: number; version: number; preimage: Buffer }> {
    for (const { key, value } of this.map.entries({ start: Buffer.from([LEAF]), end: Buffer.from([LEAF + 1]) })) {
      yield { index: readU64(key, 1), version: readU64(key, 9), preimage: value };
    }
  }

  /** Writes `changes` at `version` (>= the tip) inside the caller's write transaction (or a new one). */
  write(version: number, changes: TreeChanges): void {
    // Joins the caller's transaction: the version check comes before any write.
    this.kv.joinSync(() => {
      const tip = this.tip();
      if (tip !== undefined && version < tip) {
        throw new MerkleError('MERKLE_BAD_VERSION', `Cannot commit tree "${this.name}" at ${version}: tip is ${tip}`, {
          version,
          tip,
        });
      }
      const log: Buffer[] = [];
      const put = (base: Buffer, value: Buffer) => {
        this.map.set(versioned(base, version), value);
        log.push(Buffer.from([base.length]), base);
      };
      for (const [level, index, hash] of changes.nodes) put(nodeBase(level, index), hash);
      for (const [index, preimage] of changes.leaves ?? []) put(leafBase(index), preimage);
      for (const [key, index] of changes.keys ?? []) put(keyBase(key), u64(index));
      put(SIZE_BASE, u64(changes.size));
      const seq = this.map.count({ start: logKey(version, 0), end: logKey(version + 1, 0) });
      this.map.set(logKey(version, seq), Buffer.concat(log));
      if (!this.map.has(OLDEST_KEY)) this.map.set(OLDEST_KEY, u64(version));
      if (!this.map.has(HEIGHT_KEY)) this.map.set(HEIGHT_KEY, Buffer.from([this.height]));
      this.prune(version);
    });
  }

  /** Deletes everything written at versions above `version`. */
  unwindTo(version: number): void {
    // Joins the caller's transaction: the checks come before any delete.
    this.kv.joinSync(() => {
      const tip = this.tip();
      if (tip === undefined || version >= tip) return;
      const oldest = this.oldest();
      if (oldest !== undefined && version < oldest) {
        const msg = `Cannot unwind tree "${this.name}" to ${version}: versions before ${oldest} are pruned`;
        throw new MerkleError('MERKLE_VERSION_PRUNED', msg, { version, oldest });
      }
      const logs = [...this.map.entries({ start: logKey(version + 1, 0), end: Buffer.from([LOG + 1]) })];
      for (const { key, value } of logs) {
        const at = readU64(key, 1);
        for (const base of logBases(value)) this.map.delete(versioned(base, at));
        this.map.delete(key);
      }
    });
  }

  // Keeps versions (tip - history, tip]: entries superseded by a write at or before the new oldest version are
  // no longer visible from any kept version, so they go, with the logs of versions before it.
  private prune(tip: number): void {
    if (this.history === undefined) return;
    const target = tip - this.history + 1;
    const oldest = this.oldest() ?? 0;
    if (target <= oldest) return;
    const logs = [...this.map.entries({ start: logKey(oldest + 1, 0), end: logKey(target + 1, 0) })];
    for (const { key, value } of logs) {
      const at = readU64(key, 1);
      for (const base of logBases(value)) {
        const stale = [...this.map.keys({ start: versioned(base, 0), end: versioned(base, at) })];
        for (const k of stale) this.map.delete(k);
      }
    }
    for (const key of [...this.map.keys({ start: Buffer.from([LOG]), end: logKey(target, 0) })]) this.map.delete(key);
    this.map.set(OLDEST_KEY, u64(target));
  }
}
