import { getAddress, isAddress } from 'viem';
import { describe, expect, it } from 'vitest';

import { checksumAddress, hasValidChecksum } from './address.js';

describe('EIP-55 addresses', () => {
  it("checksums and checks as viem's getAddress and strict isAddress do", () => {
    const samples = [
      '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      '0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266',
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267',
      '0x0000000000000000000000000000000000000000',
    ];
    for (let i = 0; i < 40; i++)
      samples.push(`0x${(BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(40, 'a')}`);
    for (const a of samples) {
      expect(checksumAddress(a), a).toBe(getAddress(a.toLowerCase()));
      expect(hasValidChecksum(a), a).toBe(isAddress(a, { strict: true }));
      expect(hasValidChecksum(checksumAddress(a))).toBe(true);
    }
    expect(hasValidChecksum('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267')).toBe(false);
  });
});
