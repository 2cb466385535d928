import type { Address, Hash } from 'viem';

import { FeeAssetAbi } from '../generated/index.js';
import { sendAndWait } from '../send.js';
import type { L1PublicClient } from '../clients.js';
import type { L1Clients } from './clients.js';

/** The fee asset (an ERC-20 with minters, bridged to L2 as fee juice), typed. */
export class FeeAssetContract {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: FeeAssetAbi } as const;
  }

  /** Whether `account` may mint (a development network's deployer and faucets). */
  isMinter(account: Address): Promise<boolean> {
    return this.client.readContract({ ...this.c, functionName: 'isMinter', args: [account] });
  }

  balanceOf(account: Address): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'balanceOf', args: [account] });
  }

  /** Mints `amount` to `to` (the sender must be a minter). */
  mint(l1: L1Clients, to: Address, amount: bigint): Promise<Hash> {
    return sendAndWait(l1, { ...this.c, functionName: 'mint', args: [to, amount] });
  }

  /** Lets `spender` move `amount` of the sender's tokens. */
  approve(l1: L1Clients, spender: Address, amount: bigint): Promise<Hash> {
    return sendAndWait(l1, { ...this.c, functionName: 'approve', args: [spender, amount] });
  }
}
