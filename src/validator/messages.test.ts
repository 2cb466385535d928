import { generatePrivateKey } from 'viem/accounts';
import { describe, expect, it } from 'vitest';

import { DecodeError } from '../foundation/serialization/index.js';
import { asSlot } from '../foundation/types/branded.js';
import { signProposalDigest } from '../protocol/proposal-digest.js';
import { asFr } from '../types/index.js';
import {
  BLOCK_ATTESTATION_SIZE,
  decodeBlockAttestation,
  decodeBlockProposal,
  encodeBlockAttestation,
  encodeBlockProposal,
  MAX_BLOCK_PROPOSAL_SIZE,
} from './messages.js';

describe('validator wire messages', async () => {
  const signature = await signProposalDigest(`0x${'ab'.repeat(32)}`, generatePrivateKey());

  it('round-trip proposals and attestations', () => {
    const proposal = {
      slot: asSlot(7n),
      header: new Uint8Array(800).fill(1),
      archive: asFr(42n),
      txHashes: [asFr(1n), asFr(2n)],
      signature,
    };
    const bytes = encodeBlockProposal(proposal);
    expect(decodeBlockProposal(bytes)).toEqual({ ...proposal, header: Buffer.from(proposal.header) });
    const attestation = { slot: asSlot(7n), headerHash: asFr(3n), archive: asFr(42n), signature };
    const encoded = encodeBlockAttestation(attestation);
    expect(encoded).toHaveLength(BLOCK_ATTESTATION_SIZE);
    expect(decodeBlockAttestation(encoded)).toEqual(attestation);
  });

  it('refuses truncated, trailing, oversized and out-of-range input with DecodeError', () => {
    const attestation = encodeBlockAttestation({
      slot: asSlot(1n),
      headerHash: asFr(3n),
      archive: asFr(4n),
      signature,
    });
    expect(() => decodeBlockAttestation(attestation.subarray(1))).toThrow(DecodeError);
    expect(() => decodeBlockAttestation(Buffer.concat([attestation, Buffer.of(0)]))).toThrow(DecodeError);
    const badV = Buffer.from(attestation);
    badV[badV.length - 1] = 5;
    expect(() => decodeBlockAttestation(badV)).toThrow(expect.objectContaining({ code: 'VALUE_OUT_OF_RANGE' }));
    expect(() => decodeBlockProposal(new Uint8Array(MAX_BLOCK_PROPOSAL_SIZE + 1))).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
    const huge = Buffer.alloc(8 + 800 + 32 + 4);
    huge.writeUInt32BE(0xffffffff, 8 + 800 + 32);
    expect(() => decodeBlockProposal(huge)).toThrow(expect.objectContaining({ code: 'COUNT_OUT_OF_RANGE' }));
  });
});
