import type { Address } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { StakingAssetHandlerAbi } from '../generated/index.js';

/** The StakingAssetHandler (mints and deposits the stake of new validators; a faucet with rules), typed. */
export class StakingAssetHandlerContract {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: StakingAssetHandlerAbi } as const;
  }

  /** Whether `addValidator` is refused and a sync proof (`addValidatorWithSyncProof`) required. */
  requiresSyncProof(): Promise<boolean> {
    return this.client.readContract({ ...this.c, functionName: 'requireSyncProof' });
  }

  /** The rollup the handler stakes on (and checks sync proofs against). */
  rollup(): Promise<Address> {
    return this.client.readContract({ ...this.c, functionName: 'ROLLUP' });
  }

  /** How many blocks behind the pending tip a sync proof's block may be. */
  recencyWindow(): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'recencyWindow' });
  }

  /** The earliest time of the next mint is `lastMintTimestamp + mintInterval` (unless the caller is exempt). */
  async mintSchedule(): Promise<{ lastMintTimestamp: bigint; mintInterval: bigint }> {
    const [lastMintTimestamp, mintInterval] = await Promise.all([
      this.client.readContract({ ...this.c, functionName: 'lastMintTimestamp' }),
      this.client.readContract({ ...this.c, functionName: 'mintInterval' }),
    ]);
    return { lastMintTimestamp, mintInterval };
  }
}
