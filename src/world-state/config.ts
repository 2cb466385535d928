import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** World-state settings. Its data directory is the node's DATA_DIRECTORY. */
export const worldStateConfigMappings = defineConfigMappings({
  blockHistory: {
    env: 'WS_BLOCK_HISTORY',
    flag: '--world-state.blockHistory',
    parse: p.integer({ min: 64, placeholder: '<blocks>' }),
    default: 128,
    description:
      'How many recent blocks keep a snapshot of the trees, to answer queries "as of block N" (at least 64).',
  },
});

/** Typed world-state settings. */
export type WorldStateConfig = ConfigOf<typeof worldStateConfigMappings>;
