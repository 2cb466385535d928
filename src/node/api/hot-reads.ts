import type { ArchiverListener } from '../../archiver/types.js';
import { RawJson } from '../../foundation/json-rpc/index.js';
import type { L2BlockNumber } from '../../foundation/types/branded.js';
import { blockHeaderToJSON, type BlockHeaderJson } from '../../types/header-json.js';
import type { BlockHeader } from '../../types/header.js';
import { l2TipsToJSON, type L2Tips, type L2TipsJson } from '../../types/tips.js';
import type { ChainReader } from './deps.js';

/** How many of the latest block headers are held in memory. */
export const RECENT_HEADERS = 64;

/** The reads the API answers from memory (see `HotChain`). */
export interface HotReads {
  /** `node_getL2Tips`'s answer, serialized. */
  tipsJson(): RawJson<L2TipsJson>;
  /** Block `n`'s header, serialized, when `n` is one of the latest `RECENT_HEADERS` blocks; else undefined. */
  recentHeaderJson(n: bigint): RawJson<BlockHeaderJson> | undefined;
}

/** The store the cache reads through: the chain reads plus a header read that decodes only the header. */
export type HotChainSource = ChainReader & { getBlockHeader(n: bigint): BlockHeader | undefined };

/** What tells the cache the chain changed: the archiver, the store's only writer while the node runs. */
export interface ChainEvents {
  subscribe(listener: ArchiverListener): () => void;
}

/**
 * The chain reads every client polls, held in memory: the tips (as a value and as the JSON the API sends), the
 * latest block number and the latest `RECENT_HEADERS` headers. The archiver announces every change it commits
 * (blocks added, pruned or unwound, proven and finalized tips moved), synchronously, before any request is served
 * again; each announcement drops what it may have changed, read again from the store on the next request. Every other
 * read goes to the store.
 */
export class HotChain implements ChainReader, HotReads {
  private tips: L2Tips | undefined;
  private tipsRaw: RawJson<L2TipsJson> | undefined;
  private latest: L2BlockNumber | undefined;
  private readonly headers = new Map<bigint, RawJson<BlockHeaderJson>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly source: HotChainSource,
    events: ChainEvents,
    private readonly recentHeaders = RECENT_HEADERS,
  ) {
    this.unsubscribe = events.subscribe(event => {
      this.tips = undefined;
      this.tipsRaw = undefined;
      if (event.type === 'blocks-added' || event.type === 'chain-pruned') this.latest = undefined;
      if (event.type === 'chain-pruned') {
        for (const n of this.headers.keys()) if (n > event.blockNumber) this.headers.delete(n);
      }
    });
  }

  /** Stops following the chain (the cache is not used after this). */
  close(): void {
    this.unsubscribe();
  }

  getTips(): L2Tips {
    return (this.tips ??= this.source.getTips());
  }

  tipsJson(): RawJson<L2TipsJson> {
    return (this.tipsRaw ??= RawJson.of(l2TipsToJSON(this.getTips())));
  }

  getLatestBlockNumber(): bigint {
    return (this.latest ??= this.source.getLatestBlockNumber() as L2BlockNumber);
  }

  recentHeaderJson(n: bigint): RawJson<BlockHeaderJson> | undefined {
    const latest = this.getLatestBlockNumber();
    const oldest = latest - BigInt(this.recentHeaders) + 1n;
    if (n < 1n || n > latest || n < oldest) return undefined;
    const cached = this.headers.get(n);
    if (cached) return cached;
    const header = this.source.getBlockHeader(n);
    if (!header) return undefined;
    for (const k of this.headers.keys()) if (k < oldest) this.headers.delete(k);
    const raw = RawJson.of(blockHeaderToJSON(header));
    this.headers.set(n, raw);
    return raw;
  }

  getBlock(n: bigint) {
    return this.source.getBlock(n);
  }

  getTxLocation(...args: Parameters<ChainReader['getTxLocation']>) {
    return this.source.getTxLocation(...args);
  }

  getL1ToL2Messages(n: bigint) {
    return this.source.getL1ToL2Messages(n);
  }
}
