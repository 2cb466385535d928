import { getAbiItem } from 'viem';

import { InboxAbi, RollupAbi } from '../generated/index.js';

/**
 * The events the archiver reads of both contracts in one `eth_getLogs` (addresses [rollup, inbox]): its own (proposals,
 * messages) and those after which the rollup's tips must be read again (a proof, a prune).
 */
export const ARCHIVER_SCAN_EVENTS = [
  getAbiItem({ abi: RollupAbi, name: 'L2BlockProposed' }),
  getAbiItem({ abi: RollupAbi, name: 'L2ProofVerified' }),
  getAbiItem({ abi: RollupAbi, name: 'PrunedPending' }),
  getAbiItem({ abi: InboxAbi, name: 'MessageSent' }),
] as const;
