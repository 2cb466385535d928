import { getContractAddress, type Address } from 'viem';
import { describe, expect, it } from 'vitest';

import { devAccount } from './dev-accounts.js';
import { localNetworkAddresses } from './local-addresses.js';

describe('localNetworkAddresses', () => {
  it("are the CREATE addresses of anvil's first account at the deployment's nonces", () => {
    const from = devAccount(0).address;
    const at = (nonce: number): Address => getContractAddress({ from, nonce: BigInt(nonce) });
    const rollup = at(3);
    expect(localNetworkAddresses()).toEqual({
      stakingAsset: at(0),
      feeAsset: at(1),
      verifier: at(2),
      rollup,
      inbox: getContractAddress({ from: rollup, nonce: 1n }),
      outbox: getContractAddress({ from: rollup, nonce: 2n }),
      registry: at(4),
      feeJuicePortal: at(6),
      governanceProposer: at(7),
      stakingAssetHandler: at(8),
      // nonce 10: Rollup.setSlasher
      slasher: at(9),
    });
  });
});
