import { getAddress, type Abi, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FeeAssetAbi, RegistryAbi, RollupAbi, SlasherAbi, StakingAssetAbi } from '../../src/l1/generated/index.js';
import { L1TxRevertedError } from '../../src/l1/send.js';
import { depositValidator } from '../../src/l1/validators.js';
import { localNetworkAddresses } from '../../src/l1/local-addresses.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { genesisArchiveRoot } from '../../src/world-state/genesis.js';
import { devValidators, startTestL1, testDeployParams, type TestL1 } from '../helpers/l1.js';

describe('deployL1Contracts', () => {
  let l1: TestL1;
  const genesis = devValidators(2);

  beforeAll(async () => {
    l1 = await startTestL1({ initialValidators: genesis });
  });
  afterAll(async () => {
    await l1?.stop();
  });

  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    l1.publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;

  it('deploys every contract and wires them together', async () => {
    const a = l1.deployment.addresses;
    for (const [name, address] of Object.entries(a) as [string, Address][]) {
      const code = await l1.publicClient.getCode({ address });
      expect(code && code.length > 2, `${name} has code`).toBe(true);
    }
    expect(await read(a.registry, RegistryAbi, 'getCanonicalRollup')).toBe(a.rollup);
    expect(await read(a.rollup, RollupAbi, 'INBOX')).toBe(a.inbox);
    expect(await read(a.stakingAsset, StakingAssetAbi, 'symbol')).toBe('TST');
    expect(await read(a.stakingAsset, StakingAssetAbi, 'isMinter', [a.stakingAssetHandler])).toBe(true);
    expect(await read(a.feeAsset, FeeAssetAbi, 'balanceOf', [a.rollup])).toBe(testDeployParams().rewardPool);
    expect(await read(a.rollup, RollupAbi, 'archiveAt', [0n])).toBe(genesisArchiveRoot());
    expect(await read(a.rollup, RollupAbi, 'L1_BLOCK_AT_GENESIS')).toBe(l1.deployment.deploymentBlock);
    expect(await read(a.rollup, RollupAbi, 'SLOT_DURATION')).toBe(8n);
    expect(await read(a.rollup, RollupAbi, 'getSlasher')).toBe(a.slasher);
    expect(await read(a.slasher, SlasherAbi, 'ROLLUP')).toBe(a.rollup);
    expect(await read(a.slasher, SlasherAbi, 'PENALTY')).toBe(testDeployParams().slashPenalty);
    expect(await read(a.slasher, SlasherAbi, 'REPORTER_REWARD_BPS')).toBe(testDeployParams().slashReporterRewardBps);
    expect(await read(a.slasher, SlasherAbi, 'QUORUM')).toBe(testDeployParams().slashingQuorum);
    expect(await read(a.slasher, SlasherAbi, 'ROUND_SIZE')).toBe(testDeployParams().slashingRoundSize);
    expect(await read(a.slasher, SlasherAbi, 'VETOER')).toBe(l1.walletClient.account.address);
  });

  it('lands at the addresses the local preset carries (fresh anvil, its first account deploying)', () => {
    expect(l1.deployment.addresses).toEqual(localNetworkAddresses());
  });

  it('puts the genesis validators in the committee of epoch 0', async () => {
    const committee = await read<Address[]>(l1.deployment.addresses.rollup, RollupAbi, 'getEpochCommittee', [0n]);
    expect([...committee].sort()).toEqual(genesis.map(v => v.attester).sort());
  });

  it('lets a funded account stake a validator directly, and reports a second deposit by its named error', async () => {
    const a = l1.deployment.addresses;
    const c = { publicClient: l1.publicClient, walletClient: l1.walletClient };
    const v = { attester: devAccount(7).address, proposer: devAccount(8).address, withdrawer: devAccount(9).address };
    // The deployer staked the genesis validators, so it is a TST minter: give itself a stake.
    await l1.walletClient.writeContract({
      address: a.stakingAsset,
      abi: StakingAssetAbi,
      functionName: 'mint',
      args: [l1.walletClient.account.address, testDeployParams().minimumStake],
    });
    await depositValidator(c, a, v);
    const info = await read<{ proposer: string; withdrawer: string; status: number }>(a.rollup, RollupAbi, 'getInfo', [
      v.attester,
    ]);
    expect(info.proposer).toBe(getAddress(v.proposer));
    expect(info.withdrawer).toBe(getAddress(v.withdrawer));
    expect(info.status).toBe(1); // VALIDATING

    const again = depositValidator(c, a, v);
    await expect(again).rejects.toBeInstanceOf(L1TxRevertedError);
    await expect(again).rejects.toThrow(/deposit reverted: Staking__AlreadyRegistered\(0x/);
  });
});
