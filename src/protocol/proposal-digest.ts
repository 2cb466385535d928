import {
  encodeAbiParameters,
  hashMessage,
  keccak256,
  recoverMessageAddress,
  toBytes,
  type Address,
  type Hex,
} from 'viem';
import { sign } from 'viem/accounts';

const PROPOSAL_TYPEHASH = keccak256(toBytes('AztecProposal'));

/**
 * The digest committee members sign for a block: the Rollup's `getProposalDigest(headerHash, archive)`,
 * `keccak256(abi.encode(keccak256("AztecProposal"), l1ChainId, rollup, headerHash, archive))`.
 */
export function proposalDigest(l1ChainId: number | bigint, rollup: Address, headerHash: Hex, archive: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }, { type: 'bytes32' }, { type: 'bytes32' }],
      [PROPOSAL_TYPEHASH, BigInt(l1ChainId), rollup, headerHash, archive],
    ),
  );
}

/** An attestation as the Rollup takes it. */
export interface Attestation {
  v: number;
  r: Hex;
  s: Hex;
}

/** Signs a proposal digest the way the Rollup checks it: EIP-191 over the 32 digest bytes. */
export async function signProposalDigest(digest: Hex, privateKey: Hex): Promise<Attestation> {
  const sig = await sign({ hash: hashMessage({ raw: digest }), privateKey });
  const v = sig.v ?? BigInt((sig.yParity ?? 0) + 27);
  return { v: Number(v), r: sig.r, s: sig.s };
}

/** The signer of an attestation over `digest`. */
export function recoverAttester(digest: Hex, a: Attestation): Promise<Address> {
  const signature = `${a.r}${a.s.slice(2)}${a.v.toString(16).padStart(2, '0')}` as Hex;
  return recoverMessageAddress({ message: { raw: digest }, signature });
}
