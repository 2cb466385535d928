import { getAddress, type Address } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { RegistryAbi } from '../generated/index.js';

/** The Registry (rollup versions and the canonical one), typed. */
export class RegistryContract {
  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {}

  /** The canonical rollup's address. */
  async getCanonicalRollup(): Promise<Address> {
    return getAddress(
      await this.client.readContract({ address: this.address, abi: RegistryAbi, functionName: 'getCanonicalRollup' }),
    );
  }
}
