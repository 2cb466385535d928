import type { Address, Hash, Hex } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { InboxAbi } from '../generated/index.js';
import { byL1Position } from './rollup.js';

/** One Inbox `MessageSent` log. */
export interface MessageLog {
  l2BlockNumber: bigint;
  index: bigint;
  leaf: Hex;
  l1BlockNumber: bigint;
  l1BlockHash: Hash;
  logIndex: number;
}

/** A decoded `MessageSent` log (of `getContractEvents` or `getLogs`) as the node keeps it. */
export function toMessageLog(l: {
  args: { l2BlockNumber: bigint; index: bigint; hash: Hex };
  blockNumber: bigint;
  blockHash: Hash;
  logIndex: number;
}): MessageLog {
  return {
    l2BlockNumber: l.args.l2BlockNumber,
    index: l.args.index,
    leaf: l.args.hash,
    l1BlockNumber: l.blockNumber,
    l1BlockHash: l.blockHash,
    logIndex: l.logIndex,
  };
}

/** The Inbox (L1→L2 messages), typed. */
export class InboxContract {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: InboxAbi } as const;
  }

  /** `MessageSent` logs in `[from, to]`, in L1 order (removed ones left out). */
  async getMessageLogs(from: bigint, to: bigint): Promise<MessageLog[]> {
    const logs = await this.client.getContractEvents({
      ...this.c,
      eventName: 'MessageSent',
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs
      .filter(l => !l.removed)
      .map(toMessageLog)
      .sort(byL1Position);
  }

  /** The L2 block whose message tree is still being filled. */
  getInProgress(): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'getInProgress' });
  }
}
