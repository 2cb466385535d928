import type { P2PChainSource } from '../service.js';

/**
 * TEST ONLY (malicious-peer tests; no flag or variable reaches it): `chain` as a dishonest peer serves it over the
 * `block` req/resp, each block with its header and archive root intact but its last tx effect dropped, so the body
 * no longer matches the versioned hashes L1 recorded. `served` counts the wrong bodies handed out.
 */
export function servingWrongBodies(chain: P2PChainSource): P2PChainSource & { served: () => number } {
  let served = 0;
  return {
    getLatestBlockNumber: () => chain.getLatestBlockNumber(),
    getArchiveRoot: n => chain.getArchiveRoot(n),
    getProvenBlockNumber: () => chain.getProvenBlockNumber(),
    getBlock: async n => {
      const block = await chain.getBlock(n);
      if (!block || block.body.length === 0) return block;
      served++;
      return { ...block, body: block.body.slice(0, -1) };
    },
    served: () => served,
  };
}
