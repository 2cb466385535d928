import { concat, encodeAbiParameters, toFunctionSelector, type Address, type Hex } from 'viem';

import { frToBuffer, frToHex, hashToFr, type Fr } from './fr.js';

/** L2 address of the native fee juice (`bytes32(uint256(5))` on L1): the Inbox recipient actor of deposits. */
export const FEE_JUICE_ADDRESS = 5n as Fr;

/** Tag of fee juice balance slots: the field `5`. */
export const FEE_JUICE_BALANCE_TAG = FEE_JUICE_ADDRESS;

/** Public data slot holding the fee juice balance of L2 address `address`: `sha256ToField(bytes32(5) ‖ address)`. */
export function feeJuiceBalanceSlot(address: Fr): Fr {
  return hashToFr(frToBuffer(FEE_JUICE_BALANCE_TAG), frToBuffer(address));
}

/** `sha256ToField(secret)`: the `secretHash` a deposit commits to and a claim reveals the preimage of. */
export function computeSecretHash(secret: Fr): Fr {
  return hashToFr(frToBuffer(secret));
}

/** `claim(bytes32,uint256)`'s selector: a deposit's content commits to the claim call it authorizes. */
const CLAIM_SELECTOR: Hex = toFunctionSelector('claim(bytes32,uint256)');

/** Content of a fee juice deposit message: `sha256ToField(abi.encodeWithSignature("claim(bytes32,uint256)", to, amount))`. */
export function feeJuiceClaimContent(to: Fr, amount: bigint): Fr {
  const data = concat([
    CLAIM_SELECTOR,
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [frToHex(to), amount]),
  ]);
  return hashToFr(Buffer.from(data.slice(2), 'hex'));
}

/** An L1→L2 message as the Inbox hashes it. */
export interface InboxMessage {
  /** L1 `msg.sender` of `sendL2Message`. */
  sender: Address;
  /** L1 `block.chainid`. */
  l1ChainId: bigint;
  /** `L2Actor { actor, version }`. */
  recipient: { actor: Fr; version: bigint };
  content: Fr;
  secretHash: Fr;
  /** `(tree - 1) * 16 + indexInTree`: the message's index in the L2 L1→L2 message tree. */
  globalIndex: bigint;
}

const INBOX_LEAF_ABI = [
  { type: 'address' },
  { type: 'uint256' },
  { type: 'bytes32' },
  { type: 'uint256' },
  { type: 'bytes32' },
  { type: 'bytes32' },
  { type: 'uint256' },
] as const;

/**
 * Inbox leaf of an L1→L2 message: `sha256ToField(abi.encode(sender, chainid, recipient.actor, recipient.version,
 * content, secretHash, globalIndex))`.
 */
export function inboxMessageLeaf(m: InboxMessage): Fr {
  const encoded = encodeAbiParameters(INBOX_LEAF_ABI, [
    m.sender,
    m.l1ChainId,
    frToHex(m.recipient.actor),
    m.recipient.version,
    frToHex(m.content),
    frToHex(m.secretHash),
    m.globalIndex,
  ]);
  return hashToFr(Buffer.from(encoded.slice(2), 'hex'));
}

/** What identifies a fee juice deposit made with `FeeJuicePortal.depositToAztecPublic`. */
export interface FeeJuiceDeposit {
  /** The `FeeJuicePortal` address (the Inbox message sender). */
  portal: Address;
  l1ChainId: bigint;
  /** The rollup version (the recipient actor's version). */
  version: bigint;
  to: Fr;
  amount: bigint;
  /** The claim's secret; the deposit carried `sha256ToField(secret)`. */
  secret: Fr;
  /** The message's index in the L1→L2 message tree (the claim's `leafIndex`). */
  globalIndex: bigint;
}

/** The Inbox leaf a `Claim` action must find at its `leafIndex` of the L1→L2 message tree. */
export function feeJuiceClaimMessageLeaf(d: FeeJuiceDeposit): Fr {
  return inboxMessageLeaf({
    sender: d.portal,
    l1ChainId: d.l1ChainId,
    recipient: { actor: FEE_JUICE_ADDRESS, version: d.version },
    content: feeJuiceClaimContent(d.to, d.amount),
    secretHash: computeSecretHash(d.secret),
    globalIndex: d.globalIndex,
  });
}

/** Nullifier a claim emits so its message is claimed once: `sha256ToField(leaf ‖ bytes32(leafIndex))`. */
export function feeJuiceClaimNullifier(leaf: Fr, leafIndex: bigint): Fr {
  return hashToFr(frToBuffer(leaf), frToBuffer(leafIndex as Fr));
}
