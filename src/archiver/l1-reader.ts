import { isAddressEqual, type Address, type Hash, type Hex } from 'viem';

import type { L1PublicClient } from '../l1/clients.js';
import {
  byL1Position,
  InboxContract,
  RollupContract,
  toMessageLog,
  toProposedLog,
  ARCHIVER_SCAN_EVENTS,
  type MessageLog,
  type ProposedLog,
} from '../l1/contracts/index.js';

export type { MessageLog, ProposedLog };

/** An L1 block header, as far as the archiver needs it. */
export interface L1BlockInfo {
  number: bigint;
  hash: Hash;
  parentHash: Hash;
  timestamp: bigint;
}

/** What one `eth_getLogs` over `[from, to]` found of both contracts (`ArchiverL1Reader.scan`). */
export interface LogScan {
  from: bigint;
  to: bigint;
  proposed: ProposedLog[];
  messages: MessageLog[];
  /** An event in the range moved the rollup's pending or proven tip (a proposal, a proof or a prune). */
  tipsMoved: boolean;
}

/**
 * The L1 reads of the archiver: logs, transactions, block hashes and the rollup's tips (through the wrappers). Within
 * one sync, the L1 head (when the head watcher gave it) and one scan of both contracts' logs are kept, so the steps
 * that need them (messages, blocks, tips) do not read them again.
 */
export class ArchiverL1Reader {
  readonly rollup: RollupContract;
  private inbox: InboxContract | undefined;
  private head: L1BlockInfo | undefined;
  private scanned: LogScan | undefined;

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

  /** For this sync: the L1 head as the head watcher read it (`getBlock` of its number answers from it). */
  useHead(head: L1BlockInfo | undefined): void {
    this.head = head;
  }

  /** Ends one sync: forgets its head and its scan. */
  endSync(): void {
    this.head = undefined;
    this.scanned = undefined;
  }

  /**
   * Reads the rollup's and the Inbox's events in `[from, to]` in one `eth_getLogs` (both addresses, the events'
   * topics); `getProposedLogs` and `getMessageLogs` of ranges within it answer from it until `endSync()`.
   */
  async scan(from: bigint, to: bigint): Promise<LogScan> {
    const inbox = await this.getInbox();
    const logs = await this.client.getLogs({
      address: [this.rollup.address, inbox.address],
      events: ARCHIVER_SCAN_EVENTS,
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    const scan: LogScan = { from, to, proposed: [], messages: [], tipsMoved: false };
    for (const l of logs) {
      if (l.removed) continue;
      const fromRollup = isAddressEqual(l.address, this.rollup.address);
      if (l.eventName === 'MessageSent' && !fromRollup) scan.messages.push(toMessageLog(l));
      else if (fromRollup && l.eventName === 'L2BlockProposed') scan.proposed.push(toProposedLog(l));
      if (fromRollup && l.eventName !== 'MessageSent') scan.tipsMoved = true;
    }
    scan.proposed.sort(byL1Position);
    scan.messages.sort(byL1Position);
    this.scanned = scan;
    return scan;
  }

  /** The L1 block at `number`, or undefined when L1 has no such block (any more). */
  async getBlock(number: bigint): Promise<L1BlockInfo | undefined> {
    if (this.head?.number === number) return this.head;
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
    const s = this.covering(from, to);
    if (s) return Promise.resolve(s.proposed.filter(l => l.l1BlockNumber >= from && l.l1BlockNumber <= to));
    return this.rollup.getProposedLogs(from, to);
  }

  /** Inbox `MessageSent` logs in `[from, to]`, in L1 order. */
  async getMessageLogs(from: bigint, to: bigint): Promise<MessageLog[]> {
    const s = this.covering(from, to);
    if (s) return s.messages.filter(l => l.l1BlockNumber >= from && l.l1BlockNumber <= to);
    return (await this.getInbox()).getMessageLogs(from, to);
  }

  private covering(from: bigint, to: bigint): LogScan | undefined {
    const s = this.scanned;
    return s && s.from <= from && to <= s.to ? s : undefined;
  }

  /** Calldata of an L1 transaction. */
  async getTxInput(hash: Hash): Promise<Hex> {
    return (await this.client.getTransaction({ hash })).input;
  }
}
