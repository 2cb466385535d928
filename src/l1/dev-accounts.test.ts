import { mnemonicToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';

import { devAccount } from './dev-accounts.js';

describe('devAccount', () => {
  it("derives anvil's well-known accounts", () => {
    expect(devAccount(0)).toEqual({
      address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
    });
    expect(devAccount(1).address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  });

  it("derives any mnemonic's accounts as viem's BIP-39/BIP-44 derivation does", () => {
    const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    for (const index of [0, 3, 17]) {
      const viem = mnemonicToAccount(mnemonic, { addressIndex: index });
      expect(devAccount(index, mnemonic).address).toBe(viem.address);
      expect(devAccount(index, mnemonic)).toBe(devAccount(index, mnemonic)); // derived once
    }
  });
});
