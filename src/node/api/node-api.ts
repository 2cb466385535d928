import type { z } from 'zod';

import { RawJson, RpcError, RpcErrorCode, type RpcImplementation } from '../../foundation/json-rpc/index.js';
import { frToHex, type Fr } from '../../types/fr.js';
import { gasFeesToJSON } from '../../types/header-json.js';
import { headerHash } from '../../types/header-codec.js';
import { txToJSON } from '../../types/tx-json.js';
import { createArchiverApi, resolveBlockParam, type BlockParamValue } from './archiver-api.js';
import type { IndexedLeafWitness, MembershipWitness, TreeId } from '../../world-state/types.js';
import type { NodeApiDeps } from './deps.js';
import type { nodeApiSchema } from './schema.js';
import { encodeSiblingPath } from './sibling-path.js';
import { toWireAddresses } from './wire-addresses.js';

type Block = BlockParamValue;

const witnessToJSON = (w: MembershipWitness) => ({
  index: w.index.toString(),
  siblingPath: encodeSiblingPath(w.siblingPath),
});
const indexedToJSON = (w: IndexedLeafWitness) => ({
  ...witnessToJSON(w),
  leaf: Object.fromEntries(Object.entries(w.leaf).map(([k, v]) => [k, `0x${v.toString(16).padStart(64, '0')}`])),
});

/** The `node_` JSON-RPC methods over the archiver's store, the world state and the tx pool. */
export function createNodeApi(d: NodeApiDeps): RpcImplementation<typeof nodeApiSchema> {
  const resolve = (b: Block | undefined): bigint => resolveBlockParam(d.chain, b);
  const worldStateCall = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      // History beyond the snapshot window, or an index outside the tree: the caller's request, not our failure.
      throw new RpcError(RpcErrorCode.INVALID_PARAMS, err instanceof Error ? err.message : String(err));
    }
  };
  const path = (tree: TreeId) => (b: Block, leafIndex: bigint) => {
    const n = resolve(b);
    return encodeSiblingPath(worldStateCall(() => d.worldState.getSiblingPath(tree, leafIndex, n)));
  };
  const appendOnlyWitness = (tree: 'archive' | 'l1ToL2Message') => (b: Block, leaf: Fr) => {
    const n = resolve(b);
    const index = worldStateCall(() => d.worldState.findLeafIndex(tree, leaf, n));
    if (index === undefined) return null;
    return witnessToJSON({ index, siblingPath: worldStateCall(() => d.worldState.getSiblingPath(tree, index, n)) });
  };

  let nodeInfo: RawJson<z.input<(typeof nodeApiSchema)['getNodeInfo']['result']>> | undefined;

  return {
    ...createArchiverApi(d),
    getArchiveSiblingPath: path('archive'),
    getNoteHashSiblingPath: path('noteHash'),
    getL1ToL2MessageSiblingPath: path('l1ToL2Message'),
    getNullifierMembershipWitness: (b, nullifier) => {
      const w = worldStateCall(() => d.worldState.getNullifierWitness(nullifier, resolve(b)));
      return w ? indexedToJSON(w) : null;
    },
    getLowNullifierMembershipWitness: (b, nullifier) =>
      indexedToJSON(worldStateCall(() => d.worldState.getNullifierLowLeafWitness(nullifier, resolve(b)))),
    getPublicDataWitness: (b, slot) =>
      indexedToJSON(worldStateCall(() => d.worldState.getPublicDataWitness(slot, resolve(b)))),
    getL1ToL2MessageMembershipWitness: appendOnlyWitness('l1ToL2Message'),
    getArchiveMembershipWitness: appendOnlyWitness('archive'),
    getPublicStorageAt: (b, slot) => frToHex(worldStateCall(() => d.worldState.getPublicStorageAt(slot, resolve(b)))),
    sendTx: async tx => {
      const result = await d.txPool.add(tx);
      if (!result.accepted) {
        throw new RpcError(RpcErrorCode.REJECTED, `Tx rejected: ${result.rejection.reason}`, {
          code: result.rejection.code,
          reason: result.rejection.reason,
        });
      }
      return frToHex(result.txHash);
    },
    getTxReceipt: hash => receipt(d, hash),
    getTxByHash: hash => {
      const tx = d.txPool.getTxByHash(hash);
      return tx ? txToJSON(tx) : null;
    },
    getPendingTxs: limit => d.txPool.getPendingTxs(limit).map(txToJSON),
    getPendingTxCount: () => d.txPool.getPendingCount(),
    // The facts do not change while the node runs: serialized once.
    getNodeInfo: () =>
      (nodeInfo ??= RawJson.of({
        nodeVersion: d.facts.nodeVersion,
        l1ChainId: d.facts.l1ChainId,
        rollupVersion: d.facts.rollupVersion,
        l1ContractAddresses: toWireAddresses(d.facts.l1ContractAddresses),
        ...(d.facts.enr ? { enr: d.facts.enr } : {}),
      })),
    getNodeVersion: () => d.facts.nodeVersion,
    getChainId: () => d.facts.l1ChainId,
    getVersion: () => d.facts.rollupVersion,
    getL1ContractAddresses: () => toWireAddresses(d.facts.l1ContractAddresses),
    getCurrentBaseFees: () => gasFeesToJSON(d.baseFees()),
    getEncodedEnr: () => d.facts.enr ?? null,
    getValidatorsStats: () => sentinel(d).validatorsStats(),
    getValidatorStats: (address, fromSlot, toSlot) => {
      if (fromSlot !== undefined && toSlot !== undefined && fromSlot > toSlot) {
        throw new RpcError(RpcErrorCode.INVALID_PARAMS, `fromSlot ${fromSlot} is after toSlot ${toSlot}`);
      }
      return sentinel(d).validatorStats(address, fromSlot, toSlot) ?? null;
    },
    getSlotInfo: async () => {
      const s = await d.slotInfo();
      return { slot: Number(s.slot), epoch: Number(s.epoch), proposer: s.proposer ?? null };
    },
  };
}

/** The sentinel's stats, or the error saying it is off and how to turn it on. */
function sentinel(d: NodeApiDeps): NonNullable<NodeApiDeps['validatorStats']> {
  if (d.validatorStats) return d.validatorStats;
  throw new RpcError(
    RpcErrorCode.UNAVAILABLE,
    'The sentinel is off on this node: start it with --sentinel.enabled (SENTINEL_ENABLED=true) to record validator stats',
  );
}

function receipt(d: NodeApiDeps, hash: Fr): z.input<(typeof nodeApiSchema)['getTxReceipt']['result']> {
  const txHashHex = frToHex(hash);
  const mined = d.chain.getTxLocation(hash);
  if (mined) {
    const block = d.chain.getBlock(mined.blockNumber);
    const effect = block?.body[mined.index];
    return {
      txHash: txHashHex,
      status: 'success',
      blockNumber: Number(mined.blockNumber),
      ...(block ? { blockHash: frToHex(headerHash(block.header)) } : {}),
      ...(effect ? { transactionFee: effect.transactionFee.toString() } : {}),
    };
  }
  const status = d.txPool.getTxStatus(hash);
  if (status === 'pending') return { txHash: txHashHex, status: 'pending' };
  if (status && status.status === 'dropped') return { txHash: txHashHex, status: 'dropped', error: status.reason };
  // Mined per the pool but not (yet) in our store: still pending from the client's point of view.
  if (status && status.status === 'mined') return { txHash: txHashHex, status: 'pending' };
  // Unknown to this node: a receipt saying dropped, as Aztec's node answers (wallets poll for it), not an error.
  return { txHash: txHashHex, status: 'dropped', error: 'Tx dropped by P2P node' };
}
