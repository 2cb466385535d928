import { decodeEventLog, type Address, type Hash, type Hex } from 'viem';

import { FeeJuicePortalAbi } from '../generated/index.js';
import { sendAndWait } from '../send.js';
import type { L1PublicClient } from '../clients.js';
import type { L1Clients } from './clients.js';

/** A deposit into the portal: the L1→L2 message it sent. */
export interface FeeJuiceDeposit {
  /** The message's leaf (its hash in the L1→L2 message tree). */
  key: Hex;
  /** Its global index in the L1→L2 message tree. */
  index: bigint;
  l1TxHash: Hash;
}

/** The FeeJuicePortal (fee asset on L1 → fee juice on L2), typed. */
export class FeeJuicePortalContract {
  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {}

  /**
   * Deposits `amount` of the fee asset (approved to the portal beforehand) for L2 address `to`, claimable with the
   * preimage of `secretHash`; returns the L1→L2 message it sent.
   */
  async depositToAztecPublic(l1: L1Clients, to: Hex, amount: bigint, secretHash: Hex): Promise<FeeJuiceDeposit> {
    const hash = await sendAndWait(l1, {
      address: this.address,
      abi: FeeJuicePortalAbi,
      functionName: 'depositToAztecPublic',
      args: [to, amount, secretHash],
    });
    const receipt = await this.client.getTransactionReceipt({ hash });
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.address.toLowerCase()) continue;
      const ev = decodeEventLog({ abi: FeeJuicePortalAbi, data: log.data, topics: log.topics });
      if (ev.eventName === 'DepositToAztecPublic') return { key: ev.args.key, index: ev.args.index, l1TxHash: hash };
    }
    throw new Error(`no DepositToAztecPublic event in L1 tx ${hash}`);
  }
}
