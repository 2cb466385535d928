import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EpochCache } from '../../src/protocol/epoch/epoch-cache.js';
import { RollupContract } from '../../src/l1/contracts/rollup.js';
import { epochOfSlot, timestampForSlot } from '../../src/protocol/epoch/time.js';
import { asSlot } from '../../src/foundation/types/branded.js';
import { RollupAbi, StakingAssetHandlerAbi } from '../../src/l1/generated/index.js';
import { addValidatorThroughHandler } from '../../src/l1/validators.js';
import { devValidators, startTestL1, type TestL1 } from '../helpers/l1.js';

/**
 * The node computes committees and proposers itself (src/epoch); this checks it agrees with the Rollup contract
 * slot by slot, across epochs whose validator set and seed change.
 */
describe('committee and proposer: TypeScript agrees with the Rollup', () => {
  let l1: TestL1;

  beforeAll(async () => {
    l1 = await startTestL1();
  });
  afterAll(async () => {
    await l1?.stop();
  });

  it('for 100 consecutive slots after 4 validators registered through the handler', async () => {
    const { rollup, stakingAssetHandler } = l1.deployment.addresses;
    const c = { publicClient: l1.publicClient, walletClient: l1.walletClient };
    for (const v of devValidators(4)) await addValidatorThroughHandler(c, { stakingAssetHandler }, v);
    expect(
      await l1.publicClient.readContract({ address: rollup, abi: RollupAbi, functionName: 'getAttesterCount' }),
    ).toBe(4n);

    const reader = new RollupContract(l1.publicClient, rollup);
    const k = await reader.getConstants();
    // The cache's clock is L1 time, which the test moves by mining at chosen timestamps.
    let l1Now = (await l1.publicClient.getBlock()).timestamp;
    const cache = new EpochCache(reader, k, { nowMs: () => Number(l1Now) * 1000 });
    const read = <T>(functionName: string, args: readonly unknown[]) =>
      l1.publicClient.readContract({
        address: rollup,
        abi: RollupAbi,
        functionName: functionName as never,
        args,
      }) as Promise<T>;

    // Move past two epochs: the validators registered after genesis are now in the frozen set.
    const now = l1Now;
    const startSlot = (now - k.genesisTime) / k.slotDuration + 2n * k.epochDuration + 1n;

    let nonEmpty = 0;
    const proposers = new Set<string>();
    for (let s = startSlot; s < startSlot + 100n; s++) {
      const slot = asSlot(s);
      const ts = timestampForSlot(slot, k);
      await l1.mineAt(ts);
      l1Now = ts;
      const epoch = epochOfSlot(slot, k);
      if (s % k.epochDuration === 0n) {
        // Someone calls setupEpoch each epoch (propose does): it stores seeds two epochs ahead.
        await l1.walletClient.writeContract({ address: rollup, abi: RollupAbi, functionName: 'setupEpoch' });
      }

      const ours = await cache.getCommittee(epoch);
      const theirs = await read<readonly string[]>('getEpochCommittee', [epoch]);
      expect(ours.committee, `committee of epoch ${epoch}`).toEqual(theirs);
      expect(ours.seed).toBe(await read<bigint>('getSampleSeed', [epoch]));

      const proposer = await cache.getProposerAttester(slot);
      const onChain = await read<string>('getProposerAt', [ts]);
      expect(proposer ?? '0x0000000000000000000000000000000000000000', `proposer of slot ${s}`).toBe(onChain);
      if (proposer) {
        nonEmpty++;
        proposers.add(proposer);
      }
    }
    // The validators really were sampled (the test compares something) and the proposer rotates.
    expect(nonEmpty).toBe(100);
    expect(proposers.size).toBeGreaterThan(1);
  });

  it('when the set is larger than the committee and a validator leaves', async () => {
    const { rollup, stakingAssetHandler } = l1.deployment.addresses;
    const c = { publicClient: l1.publicClient, walletClient: l1.walletClient };
    for (const v of devValidators(3, 5)) await addValidatorThroughHandler(c, { stakingAssetHandler }, v);
    // The handler's withdrawer (the deployer) takes validator 1 out: the set is re-ordered on chain.
    const leaving = devValidators(1)[0]!.attester;
    await l1.walletClient.writeContract({
      address: rollup,
      abi: RollupAbi,
      functionName: 'initiateWithdraw',
      args: [leaving, leaving],
    });
    const withdrawer = await l1.publicClient.readContract({
      address: stakingAssetHandler,
      abi: StakingAssetHandlerAbi,
      functionName: 'withdrawer',
    });
    expect(withdrawer).toBe(l1.walletClient.account.address);

    const reader = new RollupContract(l1.publicClient, rollup);
    const k = await reader.getConstants();
    // The cache's clock is L1 time, which the test moves by mining at chosen timestamps.
    let l1Now = (await l1.publicClient.getBlock()).timestamp;
    const cache = new EpochCache(reader, k, { nowMs: () => Number(l1Now) * 1000 });
    const now = l1Now;
    // Enough epochs that the committees' differing is not left to chance (see the last assertion).
    const EPOCHS = 7n;
    const startSlot = (now - k.genesisTime) / k.slotDuration + 2n * k.epochDuration + 1n;
    const seen = new Set<string>();
    for (let s = startSlot; s < startSlot + EPOCHS * k.epochDuration; s++) {
      const slot = asSlot(s);
      const ts = timestampForSlot(slot, k);
      await l1.mineAt(ts);
      l1Now = ts;
      if (s % k.epochDuration === 0n) {
        await l1.walletClient.writeContract({ address: rollup, abi: RollupAbi, functionName: 'setupEpoch' });
      }
      const epoch = epochOfSlot(slot, k);
      const ours = await cache.getCommittee(epoch);
      const theirs = await l1.publicClient.readContract({
        address: rollup,
        abi: RollupAbi,
        functionName: 'getEpochCommittee',
        args: [epoch],
      });
      expect(ours.committee).toEqual(theirs);
      expect(ours.committee).toHaveLength(4);
      expect(ours.committee).not.toContain(leaving);
      for (const a of ours.committee) seen.add(a);
      expect((await cache.getProposerAttester(slot)) ?? '').toBe(
        await l1.publicClient.readContract({
          address: rollup,
          abi: RollupAbi,
          functionName: 'getProposerAt',
          args: [ts],
        }),
      );
    }
    // Five validators left for four seats: over the epochs more than four of them sat in a committee (each committee
    // leaves one out at random, so all leaving out the same one has a chance of 5^-(EPOCHS-1)).
    expect(seen.size).toBeGreaterThan(4);
  });
});
