import { bytesToHex } from 'viem';
import { describe, expect, it } from 'vitest';

import { devAccount } from '../l1/dev-accounts.js';
import { EquivocationDetector, type Equivocation } from './detector.js';
import { asAttestation, signedProposal } from './testing/index.js';

const where = { l1ChainId: 31337, rollup: '0x00000000000000000000000000000000000000aa' } as const;
const alice = devAccount(1);
const bob = devAccount(2);

function detector() {
  const found: Equivocation[] = [];
  return { d: new EquivocationDetector(e => found.push(e), 8n), found };
}

describe('EquivocationDetector', () => {
  it('finds two proposals of one signer for one slot with different digests, once', async () => {
    const { d, found } = detector();
    const a = await signedProposal(alice.privateKey, where, 5n, 1);
    const b = await signedProposal(alice.privateKey, where, 5n, 2);
    d.observe(a);
    expect(found).toHaveLength(0);
    d.observe(b);
    d.observe(await signedProposal(alice.privateKey, where, 5n, 3));
    expect(found).toHaveLength(1);
    const e = found[0]!;
    expect(e.attester).toBe(alice.address);
    expect(e.slot).toBe(5n);
    expect(e.kinds).toEqual(['proposal', 'proposal']);
    expect(e.a.header).toBe(bytesToHex(a.header!));
    expect(e.a.header).toHaveLength(2 + 1600);
    expect(e.a.archive).toBe(a.archive);
    expect(e.a.signature).toEqual(a.signature);
    expect(e.b.archive).toBe(b.archive);
  });

  it('ignores the same digest seen twice, other slots and other signers', async () => {
    const { d, found } = detector();
    const a = await signedProposal(alice.privateKey, where, 5n, 1);
    d.observe(a);
    d.observe(asAttestation(a));
    d.observe(await signedProposal(alice.privateKey, where, 6n, 2));
    d.observe(await signedProposal(bob.privateKey, where, 5n, 3));
    expect(found).toHaveLength(0);
  });

  it('completes an attestation pair once the proposals behind both digests arrive, in any order', async () => {
    const { d, found } = detector();
    // Bob attests two different blocks of slot 7; the proposals (signed by Alice) come after.
    const pa = await signedProposal(alice.privateKey, where, 7n, 1);
    const pb = await signedProposal(alice.privateKey, where, 7n, 2);
    const bobA = {
      ...asAttestation(pa),
      signer: bob.address,
      signature: { v: 27, r: pa.signature.r, s: pa.signature.s },
    };
    const bobB = {
      ...asAttestation(pb),
      signer: bob.address,
      signature: { v: 28, r: pb.signature.r, s: pb.signature.s },
    };
    d.observe(bobA);
    d.observe(bobB);
    expect(found).toHaveLength(0);
    d.observe(pa);
    expect(found).toHaveLength(0);
    d.observe(pb);
    // Alice (two proposals) and Bob (two attestations) both equivocated.
    expect(found.map(e => [e.attester, e.kinds.join()]).sort()).toEqual(
      [
        [alice.address, 'proposal,proposal'],
        [bob.address, 'attestation,attestation'],
      ].sort(),
    );
  });

  it('forgets slots older than it keeps', async () => {
    const { d, found } = detector();
    d.observe(await signedProposal(alice.privateKey, where, 1n, 1));
    d.observe(await signedProposal(bob.privateKey, where, 20n, 2));
    d.observe(await signedProposal(alice.privateKey, where, 1n, 3));
    expect(found).toHaveLength(0);
  });
});
