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
  /** The Slasher (equivocation evidence); read from the rollup (`getSlasher`). */
  slasher: Address;
}

/** The addresses plus the L1 block the rollup was deployed in (where syncing starts). */
export interface L1Deployment {
  l1ChainId: number;
  addresses: L1ContractAddresses;
  deploymentBlock: bigint;
}

/**
 * The L1 setting (src/l1/config.ts) that carries each address; the verifier and the slasher are read from the rollup
 * instead.
 */
export const ADDRESS_SETTINGS = {
  registry: 'registryAddress',
  rollup: 'rollupAddress',
  inbox: 'inboxAddress',
  outbox: 'outboxAddress',
  stakingAsset: 'stakingAssetAddress',
  feeAsset: 'feeAssetAddress',
  feeJuicePortal: 'feeJuicePortalAddress',
  governanceProposer: 'governanceProposerAddress',
  stakingAssetHandler: 'stakingAssetHandlerAddress',
  verifier: undefined,
  slasher: undefined,
} as const satisfies Record<keyof L1ContractAddresses, string | undefined>;
