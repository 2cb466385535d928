import { describe, expect, it } from 'vitest';

import { ConfigParseError } from './errors.js';
import * as p from './parsers.js';
import type { ConfigParser } from './types.js';

function reason(parser: ConfigParser<unknown>, raw: string): string | undefined {
  try {
    parser(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigParseError);
    return (err as ConfigParseError).reason ?? '';
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('config parsers', () => {
  it('parses integers and ports within range', () => {
    expect(p.integer()(' 42 ')).toBe(42);
    expect(p.port('40400')).toBe(40400);
    expect(reason(p.port, 'abc')).toBe('not a whole number');
    expect(reason(p.port, '0')).toBe('out of range');
    expect(reason(p.port, '65536')).toBe('out of range');
    expect(reason(p.port, '80.5')).toBe('not a whole number');
    expect(reason(p.positiveMs, '0')).toBe('out of range');
    expect(p.port.expected).toContain('1 to 65535');
  });

  it('accepts true/false/1/0/yes/no in any case and nothing else', () => {
    for (const v of ['true', 'TRUE', '1', 'yes', 'Yes']) expect(p.boolean(v)).toBe(true);
    for (const v of ['false', 'False', '0', 'no', 'NO']) expect(p.boolean(v)).toBe(false);
    reason(p.boolean, 'maybe');
    reason(p.boolean, 'on');
    expect(p.boolean.isBoolean).toBe(true);
  });

  it('checks every entry of a URL list', () => {
    expect(p.urlList()('http://a:8545, wss://b ,')).toEqual(['http://a:8545', 'wss://b']);
    expect(reason(p.urlList(), 'http://ok,notaurl')).toBe('entry 2 of 2 is not a valid URL');
    expect(reason(p.urlList(), 'ftp://x')).toBe('entry 1 of 1 does not use http, https, ws or wss');
    expect(reason(p.urlList(['http', 'https']), 'ws://x')).toBe('entry 1 of 1 does not use http or https');
    expect(reason(p.urlList(), ' , ')).toBe('the list is empty');
    expect(p.url()('https://boot.example')).toBe('https://boot.example');
    reason(p.url(), 'boot.example');
  });

  it('splits string lists', () => {
    expect(p.stringList()('a, b,,c')).toEqual(['a', 'b', 'c']);
  });

  it('takes a private key only as 0x + 64 hex, without quoting it', () => {
    const key = `0x${'AB'.repeat(32)}`;
    expect(p.privateKey(key)).toBe(key.toLowerCase());
    expect(reason(p.privateKey, 'ab'.repeat(32))).toBe('it is missing the 0x prefix');
    expect(reason(p.privateKey, '0x1234')).toBe('it is not 0x followed by 64 hex characters');
    expect(reason(p.privateKey, `0x${'zz'.repeat(32)}`)).toBe('it is not 0x followed by 64 hex characters');
    expect(reason(p.privateKey, `0x${'00'.repeat(32)}`)).toContain('secp256k1');
    expect(reason(p.privateKey, `0x${'ff'.repeat(32)}`)).toContain('secp256k1');
    expect(p.privateKey.expected).toBe('a 32-byte private key: 0x followed by exactly 64 hex characters');
  });

  it('normalizes a peer id key given in any accepted form', () => {
    const hex = 'cd'.repeat(32);
    expect(p.peerIdPrivateKey(hex)).toBe(`0x${hex}`);
    expect(p.peerIdPrivateKey(`0x${hex}`)).toBe(`0x${hex}`);
    expect(p.peerIdPrivateKey(`08021220${hex}`)).toBe(`0x${hex}`);
    reason(p.peerIdPrivateKey, 'cd');
  });

  it('takes 20-byte addresses, lowercase or with a valid checksum', () => {
    const checksummed = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    expect(p.address(checksummed.toLowerCase())).toBe(checksummed);
    expect(p.address(checksummed)).toBe(checksummed);
    expect(reason(p.address, '0x70997970C51812dc3A010C7d01b50e0d17dc79c8')).toContain('checksum');
    expect(reason(p.address, '0x1234')).toBe('it is not 0x followed by 40 hex characters');
    expect(reason(p.address, `0x${'ab'.repeat(32)}`)).toBe('it is not 0x followed by 40 hex characters');
  });

  it('takes 32-byte L2 addresses', () => {
    expect(p.l2Address(`0x${'AB'.repeat(32)}`)).toBe(`0x${'ab'.repeat(32)}`);
    reason(p.l2Address, '0x70997970c51812dc3a010c7d01b50e0d17dc79c8');
  });

  it('parses bigints in decimal or NeM form', () => {
    expect(p.bigint('100e18')).toBe(100n * 10n ** 18n);
    expect(p.bigint('123456789012345678901234567890')).toBe(123456789012345678901234567890n);
    reason(p.bigint, '-1');
    reason(p.bigint, '1.5');
  });

  it('parses enums, hosts, IPs, ip:port, ENR lists and log levels', () => {
    expect(p.enumOf(['a', 'b'])('b')).toBe('b');
    reason(p.enumOf(['a', 'b']), 'c');
    expect(p.host('my-node.example.org')).toBe('my-node.example.org');
    expect(p.host('::1')).toBe('::1');
    reason(p.host, 'not a host');
    expect(p.ipAddress('0.0.0.0')).toBe('0.0.0.0');
    reason(p.ipAddress, 'localhost');
    expect(p.ipAndPort('[::]:40400')).toBe('[::]:40400');
    reason(p.ipAndPort, '0.0.0.0');
    reason(p.ipAndPort, '0.0.0.0:99999');
    expect(p.enrList('enr:-abc_1, enr:-def')).toEqual(['enr:-abc_1', 'enr:-def']);
    expect(reason(p.enrList, 'enr:-abc,/ip4/1.2.3.4')).toBe('entries 2 of 2 are not ENRs');
    expect(p.logLevel('info;debug:archiver')).toBe('info;debug:archiver');
    reason(p.logLevel, 'loud');
  });

  it('has samples that its own parser accepts', () => {
    const all: ConfigParser<unknown>[] = [p.port, p.positiveMs, p.boolean, p.urlList(), p.url(), p.privateKey];
    all.push(p.peerIdPrivateKey, p.address, p.l2Address, p.bigint, p.host, p.ipAddress, p.ipAndPort, p.enrList);
    all.push(p.logLevel, p.stringList(), p.enumOf(['x', 'y']), p.seconds(), p.text());
    for (const parser of all) expect(() => parser(parser.sample)).not.toThrow();
  });
});
