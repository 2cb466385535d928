import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { proposalDigest, recoverAttester, signProposalDigest } from '../../src/protocol/proposal-digest.js';
import { startTestL1, type TestL1 } from '../helpers/l1.js';

describe('proposal digest', () => {
  let l1: TestL1;
  beforeAll(async () => {
    l1 = await startTestL1();
  });
  afterAll(async () => {
    await l1?.stop();
  });

  it('equals the Rollup’s, and an attestation recovers to its signer', async () => {
    const headerHash = `0x00${'ab'.repeat(31)}` as const;
    const archive = `0x00${'cd'.repeat(31)}` as const;
    const rollup = l1.deployment.addresses.rollup;
    const onChain = await l1.publicClient.readContract({
      address: rollup,
      abi: RollupAbi,
      functionName: 'getProposalDigest',
      args: [headerHash, archive],
    });
    const ours = proposalDigest(31337, rollup, headerHash, archive);
    expect(ours).toBe(onChain);
    const att = await signProposalDigest(ours, devAccount(3).privateKey);
    expect([27, 28]).toContain(att.v);
    expect(await recoverAttester(ours, att)).toBe(devAccount(3).address);
  });
});
