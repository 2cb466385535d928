import { isIP } from 'node:net';

import type { Address, Hex } from 'viem';

import { checksumAddress, hasValidChecksum } from '../crypto/address.js';
import { LOG_LEVELS, parseLevelSpec } from '../log/index.js';
import { ConfigParseError } from './errors.js';
import type { ConfigParser } from './types.js';

interface ParserSpec {
  expected: string;
  placeholder: string;
  sample: string;
  isBoolean?: boolean;
}

/** Builds a parser from a function and its metadata; the raw text is trimmed first. */
export function makeParser<T>(spec: ParserSpec, fn: (raw: string) => T): ConfigParser<T> {
  return Object.assign((raw: string) => fn(raw.trim()), { ...spec, isBoolean: spec.isBoolean ?? false });
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
  if (min !== undefined) return `an integer of at least ${min}`;
  if (max !== undefined) return `an integer of at most ${max}`;
  return 'an integer';
}

/** A whole number, optionally within `[min, max]`. */
export function integer(
  opts: { min?: number; max?: number; expected?: string; placeholder?: string } = {},
): ConfigParser<number> {
  const { min, max } = opts;
  const expected = opts.expected ?? rangeText(min, max);
  return makeParser({ expected, placeholder: opts.placeholder ?? '<n>', sample: String(min ?? 1) }, raw => {
    if (!/^[+-]?\d+$/.test(raw)) throw new ConfigParseError('not a whole number');
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw new ConfigParseError('too large');
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) throw new ConfigParseError('out of range');
    return n;
  });
}

/** A TCP/UDP port, 1 to 65535. */
export const port = integer({
  min: 1,
  max: 65535,
  expected: 'a port number (an integer from 1 to 65535)',
  placeholder: '<port>',
});

/** A duration in milliseconds, at least 1. */
export const positiveMs = integer({
  min: 1,
  expected: 'a positive whole number of milliseconds',
  placeholder: '<ms>',
});

/** A duration in seconds, at least `min` (default 1). */
export function seconds(min = 1): ConfigParser<number> {
  return integer({ min, expected: `a whole number of seconds (at least ${min})`, placeholder: '<seconds>' });
}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** true/false, 1/0, yes/no, case-insensitive. On the command line a boolean flag given alone means true. */
export const boolean = makeParser(
  {
    expected: 'a boolean: true, false, 1, 0, yes or no (case-insensitive)',
    placeholder: '[true|false]',
    sample: 'true',
    isBoolean: true,
  },
  raw => {
    const v = raw.toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    throw new ConfigParseError();
  },
);

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map(s => s.trim())
    .filter(s => s.length > 0);
}

/** A comma-separated list of strings; blanks are dropped. */
export function stringList(placeholder = '<a,b,...>'): ConfigParser<string[]> {
  return makeParser({ expected: 'a comma-separated list of values', placeholder, sample: 'a,b' }, raw =>
    splitList(raw),
  );
}

function checkUrl(entry: string, schemes: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return 'is not a valid URL';
  }
  if (!schemes.includes(url.protocol.slice(0, -1))) return `does not use ${schemesText(schemes)}`;
  return undefined;
}

function schemesText(schemes: readonly string[]): string {
  return schemes.length === 1 ? schemes[0]! : `${schemes.slice(0, -1).join(', ')} or ${schemes.at(-1)}`;
}

/** One URL whose scheme is in `schemes` (default http, https). */
export function url(schemes: readonly string[] = ['http', 'https']): ConfigParser<string> {
  const expected = `a URL starting with ${schemes.map(s => `${s}://`).join(' or ')}`;
  return makeParser({ expected, placeholder: '<url>', sample: `${schemes[0]}://127.0.0.1:8080` }, raw => {
    const problem = checkUrl(raw, schemes);
    if (problem !== undefined) throw new ConfigParseError(`it ${problem}`);
    return raw;
  });
}

/** A comma-separated list of URLs (http, https, ws, wss by default), each checked. */
export function urlList(schemes: readonly string[] = ['http', 'https', 'ws', 'wss']): ConfigParser<string[]> {
  const expected = `a comma-separated list of ${schemesText(schemes)} URLs, e.g. ${schemes[0]}://host:8545`;
  const sample = `${schemes[0]}://127.0.0.1:8545,${schemes[0]}://localhost:8546`;
  return makeParser({ expected, placeholder: '<url,...>', sample }, raw => {
    const entries = splitList(raw);
    if (entries.length === 0) throw new ConfigParseError('the list is empty');
    const problems = entries.flatMap((entry, i) => {
      const problem = checkUrl(entry, schemes);
      return problem === undefined ? [] : [`entry ${i + 1} of ${entries.length} ${problem}`];
    });
    if (problems.length > 0) throw new ConfigParseError(problems.join('; '));
    return entries;
  });
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function checkKeyRange(hex64: string): void {
  const k = BigInt(`0x${hex64}`);
  if (k === 0n || k >= SECP256K1_N) throw new ConfigParseError('it is outside the secp256k1 private key range');
}

/** A 32-byte secp256k1 private key, strictly `0x` followed by 64 hex characters. */
export const privateKey = makeParser(
  {
    expected: 'a 32-byte private key: 0x followed by exactly 64 hex characters',
    placeholder: '<0x-hex-key>',
    sample: `0x${'ab'.repeat(32)}`,
  },
  (raw): Hex => {
    if (/^[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigParseError('it is missing the 0x prefix');
    if (!/^0x[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigParseError('it is not 0x followed by 64 hex characters');
    checkKeyRange(raw.slice(2));
    return raw.toLowerCase() as Hex;
  },
);

/**
 * The node's libp2p identity key (secp256k1): 64 hex characters with or without 0x, or libp2p's protobuf hex
 * form (`08021220` followed by the 64). Normalized to `0x` + 64 lowercase hex.
 */
export const peerIdPrivateKey = makeParser(
  {
    expected: 'a secp256k1 key: 64 hex characters (0x optional), or libp2p protobuf hex (08021220 + 64 hex)',
    placeholder: '<hex-key>',
    sample: 'cd'.repeat(32),
  },
  (raw): Hex => {
    const m = /^(?:0x)?(?:08021220)?([0-9a-fA-F]{64})$/.exec(raw);
    if (m?.[1] === undefined) throw new ConfigParseError('it is not in either accepted form');
    checkKeyRange(m[1]);
    return `0x${m[1].toLowerCase()}`;
  },
);

/** A 20-byte L1 address: 0x + 40 hex, all lowercase or EIP-55 checksummed. Returned checksummed. */
export const address = makeParser(
  {
    expected: 'a 20-byte Ethereum address: 0x followed by 40 hex characters (lowercase or EIP-55 checksummed)',
    placeholder: '<address>',
    sample: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  },
  (raw): Address => {
    if (!/^0x[0-9a-fA-F]{40}$/.test(raw)) throw new ConfigParseError('it is not 0x followed by 40 hex characters');
    if (!hasValidChecksum(raw)) throw new ConfigParseError('its mixed-case EIP-55 checksum is wrong');
    return checksumAddress(raw);
  },
);

/** A comma-separated list of 20-byte L1 addresses, each checked as `address`. Returned checksummed. */
export const addressList = makeParser(
  {
    expected: 'a comma-separated list of 20-byte Ethereum addresses (0x followed by 40 hex characters each)',
    placeholder: '<address,...>',
    sample: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8,0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  },
  (raw): Address[] =>
    splitList(raw).map((entry, i, all) => {
      try {
        return address(entry);
      } catch (err) {
        const why = err instanceof ConfigParseError ? err.message : String(err);
        throw new ConfigParseError(`entry ${i + 1} of ${all.length}: ${why}`);
      }
    }),
);

/** A 32-byte L2 (Aztec) address or field value: 0x + 64 hex. Returned lowercase. */
export const l2Address = makeParser(
  {
    expected: 'an L2 address: 0x followed by 64 hex characters (32 bytes)',
    placeholder: '<l2-address>',
    sample: `0x${'00'.repeat(12)}70997970c51812dc3a010c7d01b50e0d17dc79c8`,
  },
  (raw): Hex => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigParseError('it is not 0x followed by 64 hex characters');
    return raw.toLowerCase() as Hex;
  },
);

/** A non-negative whole number of any size: decimal digits, or `<digits>e<digits>` such as `100e18`. */
export const bigint = makeParser(
  {
    expected: 'a non-negative whole number: decimal digits, or a form like 100e18',
    placeholder: '<amount>',
    sample: '100e18',
  },
  raw => {
    const m = /^(\d+)(?:e(\d+))?$/i.exec(raw);
    if (m?.[1] === undefined) throw new ConfigParseError('not a whole number');
    return BigInt(m[1]) * 10n ** BigInt(m[2] ?? '0');
  },
);

/** One of a fixed set of strings (case-sensitive). */
export function enumOf<const V extends string>(values: readonly V[]): ConfigParser<V> {
  const expected = `one of: ${values.join(', ')}`;
  return makeParser({ expected, placeholder: `<${values.join('|')}>`, sample: values[0] ?? '' }, raw => {
    if (!(values as readonly string[]).includes(raw)) throw new ConfigParseError();
    return raw as V;
  });
}

/** Any non-empty text (paths, names); `placeholder` names it in help. */
export function text(placeholder = '<value>', sample = 'value'): ConfigParser<string> {
  return makeParser({ expected: 'a non-empty text value', placeholder, sample }, raw => raw);
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** An IPv4/IPv6 address. */
export const ipAddress = makeParser(
  { expected: 'an IPv4 or IPv6 address, e.g. 0.0.0.0', placeholder: '<ip>', sample: '0.0.0.0' },
  raw => {
    if (isIP(raw) === 0) throw new ConfigParseError('it is not an IP address');
    return raw;
  },
);

/** An IP address or a DNS host name. */
export const host = makeParser(
  { expected: 'an IP address or a host name, e.g. 203.0.113.7', placeholder: '<host>', sample: '203.0.113.7' },
  raw => {
    if (isIP(raw) === 0 && !HOSTNAME.test(raw))
      throw new ConfigParseError('it is neither an IP address nor a host name');
    return raw;
  },
);

/** `<ip>:<port>` or `[<ipv6>]:<port>`. */
export const ipAndPort = makeParser(
  { expected: '<IP_ADDRESS>:<PORT>, e.g. 0.0.0.0:40400', placeholder: '<ip:port>', sample: '0.0.0.0:40400' },
  raw => {
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(raw);
    const ip = m?.[1] ?? m?.[2];
    const p = Number(m?.[3]);
    if (ip === undefined || isIP(ip) === 0) throw new ConfigParseError('it does not start with an IP address');
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ConfigParseError('its port is not from 1 to 65535');
    return raw;
  },
);

/** A comma-separated list of ENRs (`enr:` followed by base64url). */
export const enrList = makeParser(
  {
    expected: 'a comma-separated list of ENRs, each starting with enr:',
    placeholder: '<enr,...>',
    sample: 'enr:-LO4QExampleA,enr:-LO4QExampleB',
  },
  raw => {
    const entries = splitList(raw);
    const bad = entries.flatMap((e, i) => (/^enr:[A-Za-z0-9_-]+=*$/.test(e) ? [] : [i + 1]));
    if (bad.length > 0) throw new ConfigParseError(`entries ${bad.join(', ')} of ${entries.length} are not ENRs`);
    return entries;
  },
);

/** A log level spec: `info`, or `info;debug:archiver,sequencer;warn:p2p` (default then per-module levels). */
export const logLevel = makeParser(
  {
    expected: `a log level (${LOG_LEVELS.join(', ')}), optionally with per-module levels such as info;debug:archiver`,
    placeholder: '<level>',
    sample: 'info;debug:archiver',
  },
  raw => {
    try {
      parseLevelSpec(raw);
    } catch {
      throw new ConfigParseError();
    }
    return raw;
  },
);
