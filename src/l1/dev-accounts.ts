import { bytesToHex, type Address, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

import { ANVIL_MNEMONIC } from './anvil.js';

/** A development account: anvil prefunds it with ETH. Never use these keys on a public network. */
export interface DevAccount {
  address: Address;
  privateKey: Hex;
}

/** Account `index` of anvil's mnemonic (index 0 deploys; 1.. are the local network's validators). */
export function devAccount(index: number, mnemonic = ANVIL_MNEMONIC): DevAccount {
  const account = mnemonicToAccount(mnemonic, { addressIndex: index });
  const key = account.getHdKey().privateKey;
  if (!key) throw new Error(`no private key derived for account ${index}`);
  return { address: account.address, privateKey: bytesToHex(key) };
}
