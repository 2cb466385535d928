import { getAddress, type Address, type Hash, type Hex } from 'viem';

import type { L1PublicClient } from '../l1/clients.js';
import { InboxAbi, RollupAbi } from '../l1/generated/index.js';

/** One `L2BlockProposed` log. */
export interface ProposedLog {
  blockNumber: bigint;
  archive: Hex;
  versionedBlobHashes: readonly Hex[];
  l1BlockNumber: bigint;
  l1BlockHash: Hash;
  l1TxHash: Hash;
}

/** One Inbox `MessageSent` log. */
export interface MessageLog {
  l2BlockNumber: bigint;
  index: bigint;
  leaf: Hex;
  l1BlockNumber: bigint;
  l1BlockHash: Hash;
}

/** An L1 block header, as far as the archiver needs it. */
export interface L1BlockInfo {
  number: bigint;
  hash: Hash;
  parentHash: Hash;
  timestamp: bigint;
}

const byPosition = (a: { l1BlockNumber: bigint; logIndex: number }, b: { l1BlockNumber: bigint; logIndex: number }) =>
  a.l1BlockNumber === b.l1BlockNumber ? a.logIndex - b.logIndex : a.l1BlockNumber < b.l1BlockNumber ? -1 : 1;

/** The L1 reads of the archiver: logs, transactions, block hashes and the rollup's tips. */
export class ArchiverL1Reader {
  private inbox: Address | undefined;

  constructor(
    readonly client: L1PublicClient,
    readonly rollup: Address,
    inbox?: Address,
  ) {
    this.inbox = inbox;
  }

  /** The L1 block the rollup was deployed in: where syncing starts. */
  getL1BlockAtGenesis(): Promise<bigint> {
    return this.client.readContract({ address: this.rollup, abi: RollupAbi, functionName: 'L1_BLOCK_AT_GENESIS' });
  }

  /** The Inbox address (configured, or read from the rollup once). */
  async getInbox(): Promise<Address> {
    this.inbox ??= getAddress(
      await this.client.readContract({ address: this.rollup, abi: RollupAbi, functionName: 'INBOX' }),
    );
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
  async getTips(at?: bigint): Promise<{ pending: bigint; proven: bigint }> {
    const [pending, proven] = await this.client.readContract({
      address: this.rollup,
      abi: RollupAbi,
      functionName: 'getTips',
      ...(at !== undefined ? { blockNumber: at } : {}),
    });
    return { pending, proven };
  }

  /** The proven block number as of L1's `finalized` block; undefined when L1 cannot tell (e.g. before deployment). */
  async getFinalizedProven(): Promise<bigint | undefined> {
    try {
      const [, proven] = await this.client.readContract({
        address: this.rollup,
        abi: RollupAbi,
        functionName: 'getTips',
        blockTag: 'finalized',
      });
      return proven;
    } catch {
      return undefined;
    }
  }

  /** `L2BlockProposed` logs in `[from, to]`, in L1 order. */
  async getProposedLogs(from: bigint, to: bigint): Promise<ProposedLog[]> {
    const logs = await this.client.getContractEvents({
      address: this.rollup,
      abi: RollupAbi,
      eventName: 'L2BlockProposed',
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs
      .filter(l => !l.removed)
      .map(l => ({
        blockNumber: l.args.blockNumber,
        archive: l.args.archive,
        versionedBlobHashes: l.args.versionedBlobHashes,
        l1BlockNumber: l.blockNumber,
        l1BlockHash: l.blockHash,
        l1TxHash: l.transactionHash,
        logIndex: l.logIndex,
      }))
      .sort(byPosition);
  }

  /** Inbox `MessageSent` logs in `[from, to]`, in L1 order. */
  async getMessageLogs(from: bigint, to: bigint): Promise<MessageLog[]> {
    const logs = await this.client.getContractEvents({
      address: await this.getInbox(),
      abi: InboxAbi,
      eventName: 'MessageSent',
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs
      .filter(l => !l.removed)
      .map(l => ({
        l2BlockNumber: l.args.l2BlockNumber,
        index: l.args.index,
        leaf: l.args.hash,
        l1BlockNumber: l.blockNumber,
        l1BlockHash: l.blockHash,
        logIndex: l.logIndex,
      }))
      .sort(byPosition);
  }

  /** Calldata of an L1 transaction. */
  async getTxInput(hash: Hash): Promise<Hex> {
    return (await this.client.getTransaction({ hash })).input;
  }
}
