import { bytesToHex, hexToBytes } from 'viem';

import { BufferWriter, decodeExact, type BufferReader } from '../foundation/serialization/index.js';
import { asSlot, type Slot } from '../foundation/types/branded.js';
import type { Attestation } from '../protocol/proposal-digest.js';
import { HEADER_LENGTH, MAX_TX_EFFECTS_PER_BODY, readFr, writeFr, type Fr } from '../types/index.js';

/** A block proposal as gossiped on the `block_proposal` topic. */
export interface BlockProposal {
  slot: Slot;
  /** `encodeHeader` bytes (800). */
  header: Uint8Array;
  /** The archive root after the block. */
  archive: Fr;
  /** Hashes of the block's txs, in body order. */
  txHashes: Fr[];
  /** The proposer's signature over the proposal digest (as `signProposalDigest`). */
  signature: Attestation;
}

/** An attestation as gossiped on the `attestation` topic. */
export interface BlockAttestation {
  slot: Slot;
  headerHash: Fr;
  archive: Fr;
  /** The attester's signature over the proposal digest. */
  signature: Attestation;
}

/** Encoded signature size: `r ‖ s ‖ v`. */
const SIGNATURE_SIZE = 65;
/** Largest encoded `BlockProposal`. */
export const MAX_BLOCK_PROPOSAL_SIZE = 8 + HEADER_LENGTH + 32 + 4 + 32 * MAX_TX_EFFECTS_PER_BODY + SIGNATURE_SIZE;
/** Size of an encoded `BlockAttestation`. */
export const BLOCK_ATTESTATION_SIZE = 8 + 32 + 32 + SIGNATURE_SIZE;

function writeSignature(w: BufferWriter, sig: Attestation): void {
  w.bytes(hexToBytes(sig.r), 'signature.r', 32).bytes(hexToBytes(sig.s), 'signature.s', 32).u8(sig.v, 'signature.v');
}

function readSignature(r: BufferReader): Attestation {
  const rr = bytesToHex(r.bytes(32, 'signature.r'));
  const s = bytesToHex(r.bytes(32, 'signature.s'));
  const at = r.offset;
  const v = r.u8('signature.v');
  if (v !== 27 && v !== 28) r.fail('VALUE_OUT_OF_RANGE', 'signature.v', `${v} is not 27 or 28`, at);
  return { v, r: rr, s };
}

/** Binary `BlockProposal`: `u64` slot, the 800-byte header, archive root, `u32`-counted tx hashes, signature. */
export function encodeBlockProposal(p: BlockProposal): Buffer {
  const w = new BufferWriter();
  w.u64(p.slot, 'proposal.slot').bytes(p.header, 'proposal.header', HEADER_LENGTH);
  writeFr(w, p.archive, 'proposal.archive');
  w.vector(p.txHashes, 'proposal.txHashes', MAX_TX_EFFECTS_PER_BODY, (w, h) => writeFr(w, h, 'proposal.txHash'));
  writeSignature(w, p.signature);
  return w.toBuffer();
}

/** Decodes exactly one `BlockProposal`; malformed, oversized or trailing input is a `DecodeError`. */
export function decodeBlockProposal(bytes: Uint8Array): BlockProposal {
  return decodeExact(bytes, 'proposal', MAX_BLOCK_PROPOSAL_SIZE, r => {
    const slot = asSlot(r.u64('proposal.slot'));
    const header = r.bytes(HEADER_LENGTH, 'proposal.header');
    const archive = readFr(r, 'proposal.archive');
    const txHashes = r.vector('proposal.txHashes', { max: MAX_TX_EFFECTS_PER_BODY, minItemSize: 32 }, r =>
      readFr(r, 'proposal.txHash'),
    );
    const signature = readSignature(r);
    return { slot, header, archive, txHashes, signature };
  });
}

/** Binary `BlockAttestation`: `u64` slot, header hash, archive root, signature (137 bytes). */
export function encodeBlockAttestation(a: BlockAttestation): Buffer {
  const w = new BufferWriter();
  w.u64(a.slot, 'attestation.slot');
  writeFr(w, a.headerHash, 'attestation.headerHash');
  writeFr(w, a.archive, 'attestation.archive');
  writeSignature(w, a.signature);
  return w.toBuffer();
}

/** Decodes exactly one `BlockAttestation`; malformed, oversized or trailing input is a `DecodeError`. */
export function decodeBlockAttestation(bytes: Uint8Array): BlockAttestation {
  return decodeExact(bytes, 'attestation', BLOCK_ATTESTATION_SIZE, r => ({
    slot: asSlot(r.u64('attestation.slot')),
    headerHash: readFr(r, 'attestation.headerHash'),
    archive: readFr(r, 'attestation.archive'),
    signature: readSignature(r),
  }));
}
