import { bytesToHex } from 'viem';

import { NodeError, errorMessage } from '../../../foundation/errors/index.js';
import { createRpcClient } from '../../../foundation/json-rpc/index.js';
import type { Logger } from '../../../foundation/log/index.js';
import type { SyncProof } from '../../../l1/validators.js';
import { nodeApiSchema } from '../../../node/api/schema.js';
import { decodeSiblingPath } from '../../../node/api/sibling-path.js';

/** A sync proof could not be had, or was malformed: the message says which flag to look at. */
export class SyncProofError extends NodeError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('SYNC_PROOF', message, context);
  }
}

/** How the operator gets a proof, for every message that asks for one. */
export const HOW_TO_PROVE =
  'pass --node-url <your synced node’s JSON-RPC URL>, or --block-number <n> with --archive-sibling-path <base64> ' +
  'from `node_getL2Tips` (.result.proven.number) and `node_getArchiveSiblingPath` with params [n, n]';

/** A sibling path as `node_getArchiveSiblingPath` gives it (base64), as the handler takes it. */
export function parseArchivePath(base64: string): SyncProof['archivePath'] {
  try {
    return decodeSiblingPath(base64).map(node => bytesToHex(node));
  } catch (err) {
    throw new SyncProofError(
      `--archive-sibling-path is not a sibling path as node_getArchiveSiblingPath returns it (${errorMessage(err)})`,
    );
  }
}

/**
 * Reads the guide's proof from a node: the proven block (`node_getL2Tips`) and its archive sibling path
 * (`node_getArchiveSiblingPath [n, n]`). A proven block the handler would call too old (more than `recencyWindow`
 * behind L1's pending tip, as when nothing has been proven for a while) gives way to the node's latest block: a
 * pending block can still be pruned before the registration lands, which is why the proven one comes first.
 */
export async function syncProofFromNode(
  nodeUrl: string,
  l1: { pendingBlockNumber: bigint; recencyWindow: bigint },
  log: Logger,
): Promise<SyncProof> {
  const node = createRpcClient(nodeUrl, 'node', nodeApiSchema);
  let tips;
  try {
    tips = await node.getL2Tips();
  } catch (err) {
    throw new SyncProofError(`Could not read the tips of the node at ${nodeUrl} (--node-url): ${errorMessage(err)}`);
  }
  const proven = BigInt(tips.proven.number);
  const latest = BigInt(tips.latest.number);
  const recent = (n: bigint) => n > 0n && n + l1.recencyWindow >= l1.pendingBlockNumber;
  const blockNumber = recent(proven) ? proven : latest;
  if (!recent(blockNumber)) {
    throw new SyncProofError(
      `The node at ${nodeUrl} (--node-url) is at block ${latest}, but the handler takes only blocks at most ` +
        `${l1.recencyWindow} behind L1's pending block ${l1.pendingBlockNumber}: let it sync, then try again`,
      { latest, proven },
    );
  }
  if (blockNumber !== proven) {
    log.info('The proven block is too old for the handler; proving the latest block instead', {
      proven,
      latest: blockNumber,
    });
  }
  const path = await node.getArchiveSiblingPath(Number(blockNumber), Number(blockNumber));
  return { blockNumber, archivePath: parseArchivePath(path) };
}
