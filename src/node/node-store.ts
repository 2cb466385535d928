import { join } from 'node:path';

/** Name of the node's LMDB store: `<DATA_DIRECTORY>/node` holds the chain, world state and validator history. */
export const NODE_STORE_NAME = 'node';

/** Where the node keeps its store for a data directory. */
export function nodeStorePath(dataDirectory: string): string {
  return join(dataDirectory, NODE_STORE_NAME);
}
