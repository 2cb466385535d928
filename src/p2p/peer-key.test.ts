import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { buildProgram } from '../cli/index.js';
import { generateP2pPrivateKeyCommand } from '../cli/commands/p2p/generate-p2p-private-key.js';
import {
  generatePeerPrivateKeyHex,
  P2P_KEY_FILE,
  parsePeerPrivateKeyHex,
  peerPrivateKeyFromHex,
  resolvePeerPrivateKey,
} from './peer-key.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'p2p-key-'));
  dirs.push(d);
  return d;
};

describe('peer key', () => {
  it('generates the key file on first run and reuses it after', () => {
    const dir = tempDir();
    const first = resolvePeerPrivateKey({ dataDirectory: dir });
    expect(readFileSync(join(dir, P2P_KEY_FILE), 'utf8').trim()).toBe(first.slice(2));
    expect(resolvePeerPrivateKey({ dataDirectory: dir })).toBe(first);
  });

  it('prefers PEER_ID_PRIVATE_KEY and never writes a file for it', () => {
    const dir = tempDir();
    const key = generatePeerPrivateKeyHex();
    expect(resolvePeerPrivateKey({ peerIdPrivateKey: key, dataDirectory: dir })).toBe(key);
    expect(() => readFileSync(join(dir, P2P_KEY_FILE))).toThrow();
  });

  it('uses a new in-memory key without a data directory', () => {
    expect(resolvePeerPrivateKey({})).not.toBe(resolvePeerPrivateKey({}));
  });

  it('refuses a corrupt key file, naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, P2P_KEY_FILE), 'not a key');
    expect(() => resolvePeerPrivateKey({ dataDirectory: dir })).toThrow(P2P_KEY_FILE);
  });

  it('accepts the protobuf form and gives a secp256k1 libp2p key', () => {
    const hex = parsePeerPrivateKeyHex(`08021220${'ab'.repeat(32)}`, 'test');
    expect(hex).toBe(`0x${'ab'.repeat(32)}`);
    expect(peerPrivateKeyFromHex(hex).type).toBe('secp256k1');
  });

  it('aztec generate-p2p-private-key prints a new key', async () => {
    let out = '';
    const ctx = { env: {}, stdout: (t: string) => void (out += t), stderr: () => {} };
    await buildProgram(ctx, [generateP2pPrivateKeyCommand]).parseAsync(['node', 'aztec', 'generate-p2p-private-key']);
    const m = /^Private key: (0x[0-9a-f]{64})\n$/.exec(out);
    expect(m?.[1]).toBeDefined();
    expect(() => parsePeerPrivateKeyHex(m?.[1] ?? '', 'output')).not.toThrow();
  });
});
