import { getContractAddress, type Address } from 'viem';

import type { L1ContractAddresses } from './addresses.js';
import { devAccount } from './dev-accounts.js';

/**
 * The contract addresses of a local network: `deployL1Contracts` run by anvil's first account on a fresh anvil
 * creates them at these nonces (CREATE addresses depend only on the deployer and its nonce), so the built-in
 * `local` preset can carry them. `test/integration/deploy.test.ts` checks the deployment lands exactly here.
 */
export function localNetworkAddresses(): L1ContractAddresses {
  const from = devAccount(0).address;
  const at = (nonce: number): Address => getContractAddress({ from, nonce: BigInt(nonce) });
  const rollup = at(3);
  return {
    stakingAsset: at(0),
    feeAsset: at(1),
    verifier: at(2),
    rollup,
    // The rollup creates its Inbox and Outbox in its constructor (a contract's nonces start at 1).
    inbox: getContractAddress({ from: rollup, nonce: 1n }),
    outbox: getContractAddress({ from: rollup, nonce: 2n }),
    registry: at(4),
    // nonce 5: Registry.addRollup
    feeJuicePortal: at(6),
    governanceProposer: at(7),
    stakingAssetHandler: at(8),
    // nonce 10: Rollup.setSlasher
    slasher: at(9),
  };
}
