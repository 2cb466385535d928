import { type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

import { asSlot } from '../../foundation/types/branded.js';
import { proposalDigest, signProposalDigest } from '../../protocol/proposal-digest.js';
import { encodeHeader, frToHex, headerHash } from '../../types/index.js';
import { randomHeader, TestRandom } from '../../types/testing/index.js';
import type { SignedDigest } from '../detector.js';

/** Tests: a proposal for `slot` signed by `privateKey` on `rollup`; `variant` seeds the header and archive. */
export async function signedProposal(
  privateKey: Hex,
  where: { l1ChainId: number; rollup: Address },
  slot: bigint,
  variant: number,
): Promise<SignedDigest> {
  const rng = new TestRandom(variant);
  const header = { ...randomHeader(rng, 1) };
  header.globalVariables = { ...header.globalVariables, slotNumber: asSlot(slot) };
  const hash = frToHex(headerHash(header));
  const archive = frToHex(rng.fr());
  const digest = proposalDigest(where.l1ChainId, where.rollup, hash, archive);
  return {
    kind: 'proposal',
    slot,
    signer: privateKeyToAddress(privateKey),
    digest,
    headerHash: hash,
    header: encodeHeader(header),
    archive,
    signature: await signProposalDigest(digest, privateKey),
  };
}

/** Tests: the attestation form of a signed proposal (the header left out). */
export function asAttestation(p: SignedDigest): SignedDigest {
  return { ...p, kind: 'attestation', header: undefined };
}
