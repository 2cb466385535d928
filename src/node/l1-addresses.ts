import { getAddress, zeroAddress, type Address } from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import type { L1ContractAddresses } from '../l1/addresses.js';
import type { L1PublicClient } from '../l1/clients.js';
import type { L1Config } from '../l1/config.js';
import { RegistryContract, RollupContract } from '../l1/contracts/index.js';

/** An address setting that cannot work on this L1 (no rollup configured, or no contract where it should be). */
export function isAddressMisconfiguration(err: unknown): boolean {
  return err instanceof NodeError && (err.code === 'MISSING_ROLLUP_ADDRESS' || err.code === 'NO_ROLLUP_CODE');
}

/** The node does not know where the rollup is. */
export class MissingRollupError extends NodeError {
  constructor(network: string | undefined) {
    super(
      'MISSING_ROLLUP_ADDRESS',
      `No rollup to follow: set --l1.rollupAddress (ROLLUP_CONTRACT_ADDRESS) or --l1.registryAddress ` +
        `(REGISTRY_CONTRACT_ADDRESS)${network ? `; the ${network} preset does not carry them` : ''}. ` +
        '`aztec start --local-network` prints them for its network.',
      {},
    );
  }
}

/**
 * The L1 contract addresses the node works with, from the configuration and the chain: the rollup (given, or the
 * registry's canonical one), what the rollup knows (inbox, outbox, assets, verifier, slasher) and the rest as configured
 * (zero when unknown: the features that need them say so). A separate step that returns a new value; the
 * configuration is not changed.
 */
export async function resolveL1Addresses(
  l1: L1Config,
  client: L1PublicClient,
  network?: string,
): Promise<L1ContractAddresses> {
  let rollup = l1.rollupAddress;
  if (!rollup && l1.registryAddress) {
    rollup = await new RegistryContract(client, l1.registryAddress).getCanonicalRollup();
  }
  if (!rollup) throw new MissingRollupError(network);
  const code = await client.getCode({ address: rollup });
  if (!code || code === '0x') {
    throw new NodeError(
      'NO_ROLLUP_CODE',
      `There is no contract at the rollup address ${rollup} on the L1 at ${l1.l1RpcUrls.join(', ')}: ` +
        'is it the right chain, and was the network deployed there (a restarted anvil loses its contracts)?',
      { rollup },
    );
  }
  const linked = await new RollupContract(client, rollup).getLinkedAddresses();
  const or = (a: Address | undefined) => (a ? getAddress(a) : zeroAddress);
  return {
    registry: or(l1.registryAddress),
    rollup: getAddress(rollup),
    inbox: linked.inbox,
    outbox: linked.outbox,
    stakingAsset: linked.stakingAsset,
    feeAsset: linked.feeAsset,
    feeJuicePortal: or(l1.feeJuicePortalAddress),
    governanceProposer: or(l1.governanceProposerAddress),
    stakingAssetHandler: or(l1.stakingAssetHandlerAddress),
    verifier: linked.verifier,
    slasher: linked.slasher,
  };
}
