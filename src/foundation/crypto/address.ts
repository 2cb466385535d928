import { keccak_256 } from '@noble/hashes/sha3';

/**
 * The EIP-55 checksummed form of a 20-byte address given as `0x` + 40 hex characters (any case). The same answer as
 * viem's `getAddress`; here because the config parsers run in `aztec start --help`, which should not load viem
 * (hundreds of modules) to check an address.
 */
export function checksumAddress(address: string): `0x${string}` {
  const hex = address.slice(2).toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(hex));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? hex[i]!.toUpperCase() : hex[i]!;
  }
  return out as `0x${string}`;
}

/** Whether a `0x` + 40 hex address is all lowercase or carries a correct EIP-55 checksum (viem's strict `isAddress`). */
export function hasValidChecksum(address: string): boolean {
  return address.toLowerCase() === address || checksumAddress(address) === address;
}
