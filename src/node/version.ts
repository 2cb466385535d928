import { readFileSync } from 'node:fs';

/**
 * This software's version: package.json's, read once (from src/node or dist/node, both two levels below the package
 * root). What `node_getNodeVersion`, `node_getNodeInfo` and the P2P status protocol report.
 */
export const NODE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
