import { getAddress, type Address, type Hex } from 'viem';

import type { Fr } from '../fr.js';

/**
 * A small deterministic pseudo-random generator (sfc32 seeded through splitmix32) for tests: the same seed gives
 * the same sequence on every run and platform. Not for anything secret.
 */
export class TestRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform `u32`. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** An integer in `[0, n)` (n <= 2^32). */
  int(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }

  /** An integer in `[min, max]`. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }

  /** `n` random bytes. */
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A uniform unsigned integer of `bits` bits. */
  bigint(bits: number): bigint {
    const nBytes = Math.ceil(bits / 8);
    if (nBytes === 0) return 0n;
    const v = BigInt(`0x${this.bytes(nBytes).toString('hex')}`);
    return v & ((1n << BigInt(bits)) - 1n);
  }

  /** An unsigned integer of up to `bits` bits, biased towards edge values (0, 1, max) and small sizes. */
  uint(bits: number): bigint {
    const r = this.int(8);
    if (r === 0) return 0n;
    if (r === 1) return (1n << BigInt(bits)) - 1n;
    if (r === 2) return this.bigint(Math.min(bits, 16));
    return this.bigint(this.range(1, bits));
  }

  /** A field element (`< 2^254`), sometimes at the edges. */
  fr(): Fr {
    const r = this.int(10);
    if (r === 0) return 0n as Fr;
    if (r === 1) return ((1n << 254n) - 1n) as Fr;
    return this.bigint(254) as Fr;
  }

  /** A checksummed L1 address. */
  address(): Address {
    return getAddress(`0x${this.bytes(20).toString('hex')}`);
  }

  /** A valid secp256k1 private key. */
  privateKey(): Hex {
    // Below the curve order: the top byte is capped.
    const b = this.bytes(32);
    b[0] = b[0]! & 0x7f;
    b[31] = b[31]! | 1;
    return `0x${b.toString('hex')}`;
  }

  /** One item of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `n` values from `make`. */
  array<T>(n: number, make: () => T): T[] {
    return Array.from({ length: n }, make);
  }
}
