import { pbkdf2Sync } from 'node:crypto';

import { bytesToHex, type Address, type Hex } from 'viem';
import { HDKey, hdKeyToAccount } from 'viem/accounts';

import { ANVIL_MNEMONIC } from './anvil.js';

/** A development account: anvil prefunds it with ETH. Never use these keys on a public network. */
export interface DevAccount {
  address: Address;
  privateKey: Hex;
}

// BIP-39 seeds and derived accounts, per mnemonic: the seed's 2048 PBKDF2 rounds run once, natively (node:crypto),
// not once per account in JavaScript; the start of a local network derives a dozen accounts.
const roots = new Map<string, HDKey>();
const accounts = new Map<string, DevAccount>();

/** The BIP-39 seed of `mnemonic` (no passphrase): PBKDF2-HMAC-SHA512, 2048 rounds, salt `"mnemonic"`. */
function seedOf(mnemonic: string): Uint8Array {
  return pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
}

/** Account `index` of anvil's mnemonic (index 0 deploys; 1.. are the local network's validators). */
export function devAccount(index: number, mnemonic = ANVIL_MNEMONIC): DevAccount {
  const id = `${index}:${mnemonic}`;
  const known = accounts.get(id);
  if (known) return known;
  let root = roots.get(mnemonic);
  if (!root) {
    root = HDKey.fromMasterSeed(seedOf(mnemonic));
    roots.set(mnemonic, root);
  }
  const account = hdKeyToAccount(root, { addressIndex: index });
  const key = account.getHdKey().privateKey;
  if (!key) throw new Error(`no private key derived for account ${index}`);
  const derived = { address: account.address, privateKey: bytesToHex(key) };
  accounts.set(id, derived);
  return derived;
}
