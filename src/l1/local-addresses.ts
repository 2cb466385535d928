import type { L1ContractAddresses } from './addresses.js';

/**
 * The contract addresses of a local network: `deployL1Contracts` run by anvil's first account
 * (0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266) on a fresh anvil creates them at these nonces (CREATE addresses
 * depend only on the deployer and its nonce), so the built-in `local` preset can carry them. Written out rather than
 * derived at start-up (an HD key derivation and keccak hashes, ≈ 0.2 s of `aztec start`): `local-addresses.test.ts`
 * derives them again from the deployer and its nonces, `test/integration/deploy.test.ts` checks the deployment lands
 * exactly here.
 */
const LOCAL_NETWORK_ADDRESSES: L1ContractAddresses = {
  stakingAsset: '0x5FbDB2315678afecb367f032d93F642f64180aa3', // deployer nonce 0
  feeAsset: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', // 1
  verifier: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', // 2
  rollup: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9', // 3
  // The rollup creates its Inbox and Outbox in its constructor (a contract's nonces start at 1).
  inbox: '0xd8058efe0198ae9dD7D563e1b4938Dcbc86A1F81', // rollup nonce 1
  outbox: '0x6D544390Eb535d61e196c87d6B9c80dCD8628Acd', // rollup nonce 2
  registry: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9', // 4; nonce 5: Registry.addRollup
  feeJuicePortal: '0x0165878A594ca255338adfa4d48449f69242Eb8F', // 6
  governanceProposer: '0xa513E6E4b8f2a923D98304ec87F64353C4D5C853', // 7
  stakingAssetHandler: '0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6', // 8
  slasher: '0x8A791620dd6260079BF849Dc5567aDC3F2FdC318', // 9; nonce 10: Rollup.setSlasher
};

/** The contract addresses of a local network (see `LOCAL_NETWORK_ADDRESSES`); a fresh copy. */
export function localNetworkAddresses(): L1ContractAddresses {
  return { ...LOCAL_NETWORK_ADDRESSES };
}
