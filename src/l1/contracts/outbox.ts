import type { Address } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { OutboxAbi } from '../generated/index.js';

/** The Outbox (L2→L1 messages of proven blocks), typed. */
export class OutboxContract {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: OutboxAbi } as const;
  }

  /** Whether the message at `leafIndex` of block `blockNumber`'s out tree was consumed on L1. */
  hasMessageBeenConsumed(blockNumber: bigint, leafIndex: bigint): Promise<boolean> {
    return this.client.readContract({
      ...this.c,
      functionName: 'hasMessageBeenConsumedAtBlockAndIndex',
      args: [blockNumber, leafIndex],
    });
  }
}
