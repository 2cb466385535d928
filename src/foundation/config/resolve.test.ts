import { describe, expect, it } from 'vitest';

import { ConfigError } from './errors.js';
import * as p from './parsers.js';
import { redact, resolveConfig, resolveConfigWithOrigins, resolveSections } from './resolve.js';
import { defineConfigMappings, type ConfigOf } from './types.js';

const KEY = `0x${'ab'.repeat(32)}`;

const mappings = defineConfigMappings({
  port: { env: 'T_PORT', flag: '--t.port', parse: p.port, default: 8080, description: 'a port' },
  urls: { env: 'T_URLS', flag: '--t-urls', aliases: ['--t-url'], parse: p.urlList(), description: 'urls' },
  listen: { env: 'T_LISTEN', envAliases: ['T_LISTEN_OLD'], flag: '--t.listen', parse: p.ipAddress, description: 'ip' },
  key: { env: 'T_KEY', flag: '--t.key', parse: p.privateKey, secret: true, description: 'a key' },
});

type TestConfig = ConfigOf<typeof mappings>;

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('applies flag > env > preset > default', () => {
    const preset = { name: 'test', values: { T_PORT: '3' } };
    expect(resolveConfig(mappings, {}).port).toBe(8080);
    expect(resolveConfig(mappings, { preset }).port).toBe(3);
    expect(resolveConfig(mappings, { preset, env: { T_PORT: '2' } }).port).toBe(2);
    expect(resolveConfig(mappings, { preset, env: { T_PORT: '2' }, flags: { '--t.port': '1' } }).port).toBe(1);
    const { origins } = resolveConfigWithOrigins(mappings, { preset, env: { T_URLS: 'http://a' } });
    expect(origins).toEqual({ port: 'preset', urls: 'env', listen: 'unset', key: 'unset' });
  });

  it('treats an empty value as not given', () => {
    const config: TestConfig = resolveConfig(mappings, { env: { T_PORT: '', T_URLS: ' ' }, flags: { '--t.port': '' } });
    expect(config).toEqual({ port: 8080, urls: undefined, listen: undefined, key: undefined });
  });

  it('accepts flag aliases and env aliases', () => {
    const config = resolveConfig(mappings, { flags: { '--t-url': 'http://x' }, env: { T_LISTEN_OLD: '1.2.3.4' } });
    expect(config.urls).toEqual(['http://x']);
    expect(config.listen).toBe('1.2.3.4');
  });

  it('reports every bad value at once, naming flag, env, source and expected form', () => {
    const err = configError(() =>
      resolveConfig(mappings, { env: { T_PORT: 'abc', T_URLS: 'http://a,notaurl' }, flags: { '--t.listen': 'x' } }),
    );
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.issues).toHaveLength(3);
    expect(err.message).toContain('--t.port / T_PORT: "abc" from environment variable T_PORT is invalid');
    expect(err.message).toContain('expected a port number (an integer from 1 to 65535)');
    expect(err.message).toContain('--t-urls / T_URLS: "http://a,notaurl"');
    expect(err.message).toContain('entry 2 of 2 is not a valid URL');
    expect(err.message).toContain('from flag --t.listen');
    expect(err.issues[0]).toMatchObject({ flag: '--t.port', env: 'T_PORT' });
  });

  it('never quotes a secret, valid or not', () => {
    const bad = '0xdeadbeefcafe';
    const err = configError(() => resolveConfig(mappings, { env: { T_KEY: bad, T_PORT: 'x' }, flags: {} }));
    expect(err.message).toContain('--t.key / T_KEY: the value from environment variable T_KEY (not shown: secret)');
    expect(err.message).toContain('expected a 32-byte private key: 0x followed by exactly 64 hex characters');
    expect(err.message).not.toContain('deadbeef');
    expect(JSON.stringify(err.context)).not.toContain('deadbeef');
    const noPrefix = configError(() => resolveConfig(mappings, { flags: { '--t.key': KEY.slice(2) } }));
    expect(noPrefix.message).toContain('missing the 0x prefix');
    expect(noPrefix.message).not.toContain('abab');
  });

  it('redacts secrets that have a value', () => {
    const config = resolveConfig(mappings, { env: { T_KEY: KEY } });
    expect(config.key).toBe(KEY);
    const shown = redact(config, mappings);
    expect(shown['key']).toBe('<redacted>');
    expect(shown['port']).toBe(8080);
    expect(JSON.stringify(shown)).not.toContain('abab');
    expect(redact(resolveConfig(mappings, {}), mappings)['key']).toBeUndefined();
  });

  it('resolves sections together and flags preset keys that nothing reads', () => {
    const sections = { a: { title: 'A', mappings }, b: { title: 'B', mappings: { x: mappings.port } } };
    const preset = { name: 'net', values: { T_PORT: '1', NOPE: '2' } };
    expect(() => resolveSections(sections, { preset })).toThrow('network preset "net" sets NOPE');
    const { config, origins } = resolveSections(sections, { env: { T_PORT: '9' } });
    expect(config.a.port).toBe(9);
    expect(config.b.x).toBe(9);
    expect(origins.a.port).toBe('env');
  });
});
