import type { Address, Hash, Hex } from 'viem';

import type { L1PublicClient } from '../l1/clients.js';
import { InboxContract, RollupContract, type MessageLog, type ProposedLog } from '../l1/contracts/index.js';

export type { MessageLog, ProposedLog };

/** An L1 block header, as far as the archiver needs it. */
export interface L1BlockInfo {
  number: bigint;
  hash: Hash;
  parentHash: Hash;
  timestamp: bigint;
}

/** The L1 reads of the archiver: logs, transactions, block hashes and the rollup's tips (through the wrappers). */
export class ArchiverL1Reader {
  readonly rollup: RollupContract;
  private inbox: InboxContract | undefined;

  constructor(
    readonly client: L1PublicClient,
    rollup: Address,
    inbox?: Address,
  ) {
    this.rollup = new RollupContract(client, rollup);
    if (inbox) this.inbox = new InboxContract(client, inbox);
  }

  /** The L1 block the rollup was deployed in: where syncing starts. */
  getL1BlockAtGenesis(): Promise<bigint> {
    return this.rollup.getL1BlockAtGenesis();
  }

  /** The Inbox (configured, or read from the rollup once). */
  async getInbox(): Promise<InboxContract> {
    this.inbox ??= new InboxContract(this.client, await this.rollup.getInbox());
    return this.inbox;
  }

  /** Current L1 head number (never cached). */
  getHead(): Promise<bigint> {
    return this.client.getBlockNumber({ cacheTime: 0 });
  }

  /** The L1 block at `number`, or undefined when L1 has no such block (any more). */
  async getBlock(number: bigint): Promise<L1BlockInfo | undefined> {
    try {
      const block = await this.client.getBlock({ blockNumber: number });
      return { number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp };
    } catch (err) {
      if (err instanceof Error && err.name === 'BlockNotFoundError') return undefined;
      throw err;
    }
  }

  /** Pending and proven block numbers as of L1 block `at` (default latest). */
  getTips(at?: bigint): Promise<{ pending: bigint; proven: bigint }> {
    return this.rollup.getTips(at !== undefined ? { blockNumber: at } : undefined);
  }

  /** The proven block number as of L1's `finalized` block; undefined when L1 cannot tell (e.g. before deployment). */
  async getFinalizedProven(): Promise<bigint | undefined> {
    try {
      return (await this.rollup.getTips({ blockTag: 'finalized' })).proven;
    } catch {
      return undefined;
    }
  }

  /** `L2BlockProposed` logs in `[from, to]`, in L1 order. */
  getProposedLogs(from: bigint, to: bigint): Promise<ProposedLog[]> {
    return this.rollup.getProposedLogs(from, to);
  }

  /** Inbox `MessageSent` logs in `[from, to]`, in L1 order. */
  async getMessageLogs(from: bigint, to: bigint): Promise<MessageLog[]> {
    return (await this.getInbox()).getMessageLogs(from, to);
  }

  /** Calldata of an L1 transaction. */
  async getTxInput(hash: Hash): Promise<Hex> {
    return (await this.client.getTransaction({ hash })).input;
  }
}
