import { randomBytes } from 'node:crypto';

import type { Address, Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';

import type { RpcClientOf } from '../../foundation/json-rpc/index.js';
import { asL2BlockNumber } from '../../foundation/types/branded.js';
import type { L1PublicClient, L1WalletClient } from '../../l1/clients.js';
import { FeeAssetContract, FeeJuicePortalContract } from '../../l1/contracts/index.js';
import type { nodeApiSchema } from '../../node/api/schema.js';
import { computeSecretHash } from '../../types/fee-juice.js';
import { asFr, frFromBuffer, frToHex, type Fr } from '../../types/fr.js';
import type { GasFees } from '../../types/header.js';
import { l2AddressFromPrivateKey, signTx } from '../../types/keys.js';
import type { ProtocolAction, Tx } from '../../types/tx.js';

type NodeClient = RpcClientOf<typeof nodeApiSchema>;

/** Fee juice bridged from L1 and not claimed yet. */
export interface PendingClaim {
  amount: bigint;
  secret: Fr;
  leaf: Fr;
  leafIndex: bigint;
}

/** A random field element (31 bytes, so it is always below the field limit). */
export const randomFr = (): Fr => frFromBuffer(Buffer.concat([Buffer.alloc(1), randomBytes(31)]));

/**
 * An L2 account as a user holds it: a secp256k1 key whose L2 address pays fees in fee juice bridged from L1. Used
 * by `aztec send-txs` and the tests to make traffic the way a wallet would.
 */
export class FeeJuiceAccount {
  readonly address: Fr;

  constructor(readonly privateKey: Hex = generatePrivateKey()) {
    this.address = l2AddressFromPrivateKey(privateKey);
  }

  /**
   * Deposits `amount` of the fee asset into the FeeJuicePortal for this account (minting it first when the L1
   * account is a minter, as on a development network). Returns what the claim needs.
   */
  async bridgeFromL1(
    l1: { publicClient: L1PublicClient; walletClient: L1WalletClient },
    addresses: { feeAsset: Address; feeJuicePortal: Address },
    amount: bigint,
    opts: { mint: boolean },
  ): Promise<PendingClaim> {
    const me = l1.walletClient.account.address;
    const feeAsset = new FeeAssetContract(l1.publicClient, addresses.feeAsset);
    if (opts.mint) await feeAsset.mint(l1, me, amount);
    await feeAsset.approve(l1, addresses.feeJuicePortal, amount);
    const secret = randomFr();
    const portal = new FeeJuicePortalContract(l1.publicClient, addresses.feeJuicePortal);
    const deposit = await portal.depositToAztecPublic(
      l1,
      frToHex(this.address),
      amount,
      frToHex(computeSecretHash(secret)),
    );
    return { amount, secret, leaf: asFr(BigInt(deposit.key)), leafIndex: deposit.index };
  }

  /** Waits until the node's L1→L2 message tree holds the deposit (it arrives with an L2 block). */
  static async waitForMessage(node: NodeClient, claim: PendingClaim, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await node.getL1ToL2MessageMembershipWitness('latest', frToHex(claim.leaf))) return;
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`the deposit ${frToHex(claim.leaf)} did not reach the L2 message tree in ${timeoutMs / 1000}s`);
  }

  /** A signed tx from this account: a fresh nullifier, the given actions, gas limits that fit simple txs. */
  async makeTx(opts: {
    l1ChainId: number;
    version: number;
    baseFees: GasFees;
    expiryBlockNumber: bigint;
    actions?: ProtocolAction[];
    noteHashes?: number;
  }): Promise<Tx> {
    return signTx(
      {
        chainId: BigInt(opts.l1ChainId),
        version: BigInt(opts.version),
        expiryBlockNumber: asL2BlockNumber(opts.expiryBlockNumber),
        feePayer: this.address,
        gasSettings: {
          gasLimits: { daGas: 4_096, l2Gas: 200_000 },
          maxFeesPerGas: { feePerDaGas: opts.baseFees.feePerDaGas * 2n, feePerL2Gas: opts.baseFees.feePerL2Gas * 2n },
        },
        nullifiers: [randomFr()],
        noteHashes: Array.from({ length: opts.noteHashes ?? 1 }, randomFr),
        l2ToL1Messages: [],
        publicLogs: [],
        actions: opts.actions ?? [],
      },
      this.privateKey,
    );
  }

  /** The claim action for a bridged deposit to this account. */
  claimAction(c: PendingClaim): ProtocolAction {
    return { type: 'claim', to: this.address, amount: c.amount, secret: c.secret, leafIndex: c.leafIndex };
  }
}
