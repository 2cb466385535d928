import type { Address } from 'viem';

/** Where the network's L1 contracts live. */
export interface L1ContractAddresses {
  registry: Address;
  rollup: Address;
  inbox: Address;
  outbox: Address;
  stakingAsset: Address;
  feeAsset: Address;
  feeJuicePortal: Address;
  governanceProposer: Address;
  stakingAssetHandler: Address;
  verifier: Address;
}

/** The addresses plus the L1 block the rollup was deployed in (where syncing starts). */
export interface L1Deployment {
  l1ChainId: number;
  addresses: L1ContractAddresses;
  deploymentBlock: bigint;
}
