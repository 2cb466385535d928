import { RpcError, RpcErrorCode, type RpcImplementation } from '../../foundation/json-rpc/index.js';
import { l2BlockToJSON } from '../../types/block-json.js';
import { frToHex } from '../../types/fr.js';
import { blockHeaderToJSON } from '../../types/header-json.js';
import { l2TipsToJSON } from '../../types/tips.js';
import type { ChainReader } from './deps.js';
import type { HotReads } from './hot-reads.js';
import type { archiverApiSchema } from './schema.js';

/** A block parameter: a number or `latest`. */
export type BlockParamValue = number | 'latest';

/** A block number the node can answer for (`latest` or absent: the tip), or a JSON-RPC error saying why not. */
export function resolveBlockParam(chain: Pick<ChainReader, 'getLatestBlockNumber'>, b: BlockParamValue | undefined) {
  const tip = chain.getLatestBlockNumber();
  if (b === undefined || b === 'latest') return tip;
  const n = BigInt(b);
  if (n > tip) throw new RpcError(RpcErrorCode.INVALID_PARAMS, `block ${n} is beyond the node's latest block ${tip}`);
  return n;
}

/**
 * The `archiver_` methods over the archiver's store (also served, as they are, under `node_`). With `hot` (the
 * `HotChain` that `chain` is), the tips and the latest headers are sent as serialized when they changed.
 */
export function createArchiverApi(d: {
  chain: ChainReader;
  hot?: HotReads | undefined;
  isReady(): boolean;
}): RpcImplementation<typeof archiverApiSchema> {
  const { chain, hot } = d;
  const latest = () => chain.getLatestBlockNumber();
  return {
    getL2Tips: () => (hot ? hot.tipsJson() : l2TipsToJSON(chain.getTips())),
    getBlockNumber: () => Number(latest()),
    getProvenBlockNumber: () => Number(chain.getTips().proven.number),
    getBlock: b => {
      const block = chain.getBlock(resolveBlockParam(chain, b));
      return block ? l2BlockToJSON(block) : null;
    },
    getBlocks: (from, limit) => {
      const out = [];
      for (let n = BigInt(from); n < BigInt(from) + BigInt(limit) && n <= latest(); n++) {
        const block = chain.getBlock(n);
        if (block) out.push(l2BlockToJSON(block));
      }
      return out;
    },
    getBlockHeader: b => {
      const n = resolveBlockParam(chain, b);
      const recent = hot?.recentHeaderJson(n);
      if (recent) return recent;
      const block = chain.getBlock(n);
      return block ? blockHeaderToJSON(block.header) : null;
    },
    getL1ToL2Messages: n => chain.getL1ToL2Messages(BigInt(n)).map(frToHex),
    isReady: () => d.isReady(),
  };
}
