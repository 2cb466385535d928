import type { Hex } from 'viem';

import { asL2BlockNumber, type L2BlockNumber } from '../foundation/types/branded.js';
import type { KvMap, KvStore } from '../kv/index.js';
import { FR_ZERO, frFromBuffer, frFromHex, frToHex, type Fr } from '../types/fr.js';
import { HEADER_LENGTH, type BlockHeader } from '../types/header.js';
import { decodeHeader } from '../types/header-codec.js';
import { decodeL2Block, encodeL2Block, type L2Block } from '../types/l2-block.js';
import type { L2TipId, L2Tips } from '../types/tips.js';
import type {
  L1PublishInfo,
  L1Signature,
  L1SyncPoint,
  L1ToL2MessageRecord,
  PublishedL2Block,
  TxLocation,
} from './types.js';
import { L1_TO_L2_MSGS_PER_BLOCK } from '../world-state/types.js';

interface BlockRecord {
  block: Buffer;
  headerHash: Hex;
  l1BlockNumber: bigint;
  l1BlockHash: Hex;
  l1TxHash: Hex;
  l1Timestamp: bigint;
  attestations: number;
  /** Added later: absent in records written before (read as no signatures known). */
  signatures?: L1Signature[];
}

interface MessageRecord {
  index: bigint;
  leaf: Hex;
  l1BlockNumber: bigint;
  l1BlockHash: Hex;
}

type SyncPointRecord = { l1BlockNumber: bigint; l1BlockHash: Hex | null };

/**
 * The archiver's LMDB maps: blocks with their L1 provenance, the tx index, L1→L2 messages per block, sync points and
 * the proven/finalized tips. Writes join the caller's `transactionSync` (or open their own), so a block, its tx index
 * entries, the sync point and the world state's commit can land in one transaction.
 */
export class ArchiverStore {
  private readonly blocks: KvMap<number, BlockRecord>;
  private readonly txs: KvMap<string, { blockNumber: number; index: number }>;
  private readonly messages: KvMap<[number, number], MessageRecord>;
  private readonly meta: KvMap<string, unknown>;

  constructor(readonly kv: KvStore) {
    this.blocks = kv.openMap<BlockRecord, number>('archiver_blocks');
    this.txs = kv.openMap<{ blockNumber: number; index: number }, string>('archiver_tx_index');
    this.messages = kv.openMap<MessageRecord, [number, number]>('archiver_l1_to_l2_messages');
    this.meta = kv.openMap<unknown, string>('archiver_meta');
  }

  /** Runs `fn` in one durable write transaction (joining an open one). */
  transactionSync<T>(fn: () => T): T {
    return this.kv.transactionSync(fn);
  }

  /** Stores a block and indexes its txs. The caller applies blocks in order (`n = latest + 1`). */
  addBlock(published: PublishedL2Block): void {
    const { block, l1 } = published;
    const n = Number(block.header.globalVariables.blockNumber);
    this.transactionSync(() => {
      this.blocks.set(n, {
        block: encodeL2Block(block),
        headerHash: frToHex(published.headerHash),
        l1BlockNumber: l1.l1BlockNumber,
        l1BlockHash: l1.l1BlockHash,
        l1TxHash: l1.l1TxHash,
        l1Timestamp: l1.l1Timestamp,
        attestations: l1.attestations,
        ...(l1.signatures ? { signatures: l1.signatures.map(sig => ({ v: sig.v, r: sig.r, s: sig.s })) } : {}),
      });
      block.body.forEach((effect, index) => this.txs.set(frToHex(effect.txHash), { blockNumber: n, index }));
    });
  }

  /** Removes every block above `blockNumber` with its tx index entries; clamps the proven and finalized tips. */
  unwindTo(blockNumber: bigint): L2BlockNumber[] {
    const removed: L2BlockNumber[] = [];
    this.transactionSync(() => {
      for (const { key, value } of [...this.blocks.entries({ start: Number(blockNumber) + 1 })]) {
        for (const effect of decodeL2Block(value.block).body) {
          const hash = frToHex(effect.txHash);
          if (this.txs.get(hash)?.blockNumber === key) this.txs.delete(hash);
        }
        this.blocks.delete(key);
        removed.push(asL2BlockNumber(key));
      }
      if (this.getProvenBlockNumber() > blockNumber) this.setProvenBlockNumber(blockNumber);
      if (this.getFinalizedBlockNumber() > blockNumber) this.setFinalizedBlockNumber(blockNumber);
    });
    return removed;
  }

  /** Number of the latest stored block (0 when none: the genesis block). */
  getLatestBlockNumber(): L2BlockNumber {
    for (const key of this.blocks.keys({ reverse: true, limit: 1 })) return asL2BlockNumber(key);
    return asL2BlockNumber(0);
  }

  /** Block `n`, or undefined. */
  getBlock(n: bigint): L2Block | undefined {
    const record = this.blocks.get(Number(n));
    return record && decodeL2Block(record.block);
  }

  /** Block `n` with its L1 provenance and header hash, or undefined. */
  getPublishedBlock(n: bigint): PublishedL2Block | undefined {
    const record = this.blocks.get(Number(n));
    return record && toPublished(record);
  }

  /** Up to `limit` consecutive blocks from `from` (stops at the first missing one). */
  getBlocks(from: bigint, limit: number): L2Block[] {
    const out: L2Block[] = [];
    for (let n = from; out.length < limit; n++) {
      const block = this.getBlock(n);
      if (!block) break;
      out.push(block);
    }
    return out;
  }

  /** Header of block `n` (decoding only its first 800 bytes), or undefined. */
  getBlockHeader(n: bigint): BlockHeader | undefined {
    const record = this.blocks.get(Number(n));
    return record && decodeHeader(record.block.subarray(0, HEADER_LENGTH));
  }

  /** Archive root after block `n` (the `archive` of its `L2BlockProposed`), or undefined. */
  getArchiveRoot(n: bigint): Fr | undefined {
    const record = this.blocks.get(Number(n));
    return record && frFromBuffer(record.block.subarray(HEADER_LENGTH, HEADER_LENGTH + 32));
  }

  /** Header hash of block `n`, or undefined (also for block 0). */
  getBlockHash(n: bigint): Fr | undefined {
    const record = this.blocks.get(Number(n));
    return record && frFromHex(record.headerHash);
  }

  /** Blocks from the latest down: what the L1 reorg check walks. */
  *publishedBlocksDescending(): Iterable<{ blockNumber: L2BlockNumber; l1: L1PublishInfo }> {
    for (const { key, value } of this.blocks.entries({ reverse: true })) {
      yield { blockNumber: asL2BlockNumber(key), l1: toL1Info(value) };
    }
  }

  /** Where a tx (by its hash) landed, or undefined. */
  getTxLocation(txHash: Fr): TxLocation | undefined {
    const loc = this.txs.get(frToHex(txHash));
    return loc && { blockNumber: asL2BlockNumber(loc.blockNumber), index: loc.index };
  }

  /** Stores Inbox messages (idempotent: a message is keyed by its block and position). */
  addL1ToL2Messages(messages: readonly L1ToL2MessageRecord[]): void {
    this.transactionSync(() => {
      for (const m of messages) {
        const position = Number(m.index - (m.l2BlockNumber - 1n) * BigInt(L1_TO_L2_MSGS_PER_BLOCK));
        this.messages.set([Number(m.l2BlockNumber), position], {
          index: m.index,
          leaf: frToHex(m.leaf),
          l1BlockNumber: m.l1BlockNumber,
          l1BlockHash: m.l1BlockHash,
        });
      }
    });
  }

  /** The 16 leaves of block `n`'s L1→L2 message tree, zero-filled. */
  getL1ToL2Messages(blockNumber: bigint): Fr[] {
    const leaves: Fr[] = Array.from({ length: L1_TO_L2_MSGS_PER_BLOCK }, () => FR_ZERO);
    const n = Number(blockNumber);
    for (const { key, value } of this.messages.entries({ start: [n, 0], end: [n + 1, 0] })) {
      if (key[1] < L1_TO_L2_MSGS_PER_BLOCK) leaves[key[1]] = frFromHex(value.leaf);
    }
    return leaves;
  }

  /** Messages from the newest down (by block then position): what the L1 reorg check walks. */
  *messagesDescending(): Iterable<L1ToL2MessageRecord> {
    for (const { key, value } of this.messages.entries({ reverse: true })) {
      yield { ...value, l2BlockNumber: BigInt(key[0]), leaf: frFromHex(value.leaf) };
    }
  }

  /** Removes the messages sent in L1 blocks above `l1BlockNumber`; returns how many. */
  removeL1ToL2MessagesAfter(l1BlockNumber: bigint): number {
    // Trees fill in L1 order, so the doomed messages are the newest ones.
    return this.transactionSync(() => {
      const doomed: [number, number][] = [];
      for (const { key, value } of this.messages.entries({ reverse: true })) {
        if (BigInt(value.l1BlockNumber) <= l1BlockNumber) break;
        doomed.push(key);
      }
      for (const key of doomed) this.messages.delete(key);
      return doomed.length;
    });
  }

  /** The last L1 block scanned for `L2BlockProposed`, or undefined before the first scan. */
  getBlocksSyncPoint(): L1SyncPoint | undefined {
    return this.getSyncPoint('blocksSyncPoint');
  }

  setBlocksSyncPoint(point: L1SyncPoint): void {
    this.setSyncPoint('blocksSyncPoint', point);
  }

  /** The last L1 block scanned for Inbox `MessageSent`, or undefined before the first scan. */
  getMessagesSyncPoint(): L1SyncPoint | undefined {
    return this.getSyncPoint('messagesSyncPoint');
  }

  setMessagesSyncPoint(point: L1SyncPoint): void {
    this.setSyncPoint('messagesSyncPoint', point);
  }

  /** Highest block covered by an epoch proof, as last read from L1 (0 when none). */
  getProvenBlockNumber(): L2BlockNumber {
    return asL2BlockNumber((this.meta.get('provenBlockNumber') as number | undefined) ?? 0);
  }

  setProvenBlockNumber(n: bigint): void {
    this.transactionSync(() => this.meta.set('provenBlockNumber', Number(n)));
  }

  /** Highest proven block whose proof is in an L1-finalized block (0 when none). */
  getFinalizedBlockNumber(): L2BlockNumber {
    return asL2BlockNumber((this.meta.get('finalizedBlockNumber') as number | undefined) ?? 0);
  }

  setFinalizedBlockNumber(n: bigint): void {
    this.transactionSync(() => this.meta.set('finalizedBlockNumber', Number(n)));
  }

  /** Latest, proven and finalized tips; proven and finalized never above latest; no hash for block 0. */
  getTips(): L2Tips {
    const latest = this.getLatestBlockNumber();
    const tip = (n: bigint): L2TipId => {
      const number = asL2BlockNumber(n < latest ? n : latest);
      const hash = number > 0n ? this.getBlockHash(number) : undefined;
      return hash === undefined ? { number } : { number, hash };
    };
    return {
      latest: tip(latest),
      proven: tip(this.getProvenBlockNumber()),
      finalized: tip(this.getFinalizedBlockNumber()),
    };
  }

  private getSyncPoint(key: string): L1SyncPoint | undefined {
    const record = this.meta.get(key) as SyncPointRecord | undefined;
    if (record === undefined) return undefined;
    return record.l1BlockHash === null
      ? { l1BlockNumber: record.l1BlockNumber }
      : { l1BlockNumber: record.l1BlockNumber, l1BlockHash: record.l1BlockHash };
  }

  private setSyncPoint(key: string, point: L1SyncPoint): void {
    const record: SyncPointRecord = { l1BlockNumber: point.l1BlockNumber, l1BlockHash: point.l1BlockHash ?? null };
    this.transactionSync(() => this.meta.set(key, record));
  }
}

function toL1Info(record: BlockRecord): L1PublishInfo {
  return {
    l1BlockNumber: BigInt(record.l1BlockNumber),
    l1BlockHash: record.l1BlockHash,
    l1TxHash: record.l1TxHash,
    l1Timestamp: BigInt(record.l1Timestamp),
    attestations: record.attestations,
    ...(record.signatures ? { signatures: record.signatures } : {}),
  };
}

function toPublished(record: BlockRecord): PublishedL2Block {
  return { block: decodeL2Block(record.block), headerHash: frFromHex(record.headerHash), l1: toL1Info(record) };
}
