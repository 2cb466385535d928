import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { Hex } from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import { createLogger } from '../foundation/log/index.js';

/** Name of the key file inside `DATA_DIRECTORY`. */
export const P2P_KEY_FILE = 'p2p-private-key';

const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const KEY_HEX = /^(?:0x)?(?:08021220)?([0-9a-fA-F]{64})$/;
const log = createLogger('p2p');

/** The libp2p private key type (secp256k1), as `createLibp2p` and discv5 take it. */
export type PeerPrivateKey = ReturnType<typeof privateKeyFromRaw>;

/** A fresh random secp256k1 private key, `0x` + 64 hex characters. */
export function generatePeerPrivateKeyHex(): Hex {
  for (;;) {
    const bytes = randomBytes(32);
    const k = BigInt(`0x${bytes.toString('hex')}`);
    if (k > 0n && k < SECP256K1_ORDER) return `0x${bytes.toString('hex')}`;
  }
}

/** Parses a key in either accepted form (64 hex, or libp2p protobuf hex `08021220…`); throws `INVALID_P2P_KEY`. */
export function parsePeerPrivateKeyHex(raw: string, source: string): Hex {
  const m = KEY_HEX.exec(raw.trim());
  const hex = m?.[1];
  const k = hex === undefined ? 0n : BigInt(`0x${hex}`);
  if (hex === undefined || k === 0n || k >= SECP256K1_ORDER) {
    throw new NodeError('INVALID_P2P_KEY', `${source} does not hold a secp256k1 private key (64 hex characters)`, {
      source,
    });
  }
  return `0x${hex.toLowerCase()}`;
}

/** The libp2p key object for a hex secp256k1 private key. */
export function peerPrivateKeyFromHex(hex: Hex): PeerPrivateKey {
  return privateKeyFromRaw(Buffer.from(hex.slice(2), 'hex'));
}

/** Where the p2p identity comes from. */
export interface PeerKeySettings {
  /** `PEER_ID_PRIVATE_KEY`, when set: used as is. */
  peerIdPrivateKey?: Hex | undefined;
  /** `DATA_DIRECTORY`, when set: the key is read from (or generated into) `<dir>/p2p-private-key`. */
  dataDirectory?: string | undefined;
}

/**
 * The node's p2p private key: `PEER_ID_PRIVATE_KEY` if given; else the key file in the data directory, generated on
 * first run and reused after; else a new key held in memory only (the peer id changes at every start).
 */
export function resolvePeerPrivateKey(settings: PeerKeySettings): Hex {
  if (settings.peerIdPrivateKey !== undefined) return settings.peerIdPrivateKey;
  if (settings.dataDirectory === undefined) {
    log.info('No data directory: using a new in-memory p2p key');
    return generatePeerPrivateKeyHex();
  }
  const file = join(settings.dataDirectory, P2P_KEY_FILE);
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (existing !== undefined) return parsePeerPrivateKeyHex(existing, file);
  const key = generatePeerPrivateKeyHex();
  mkdirSync(settings.dataDirectory, { recursive: true });
  writeFileSync(file, key.slice(2) + '\n', { mode: 0o600, flag: 'wx' });
  log.info('Generated a new p2p private key', { file });
  return key;
}
