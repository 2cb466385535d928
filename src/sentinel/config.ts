import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** Sentinel settings (Aztec's names): whether it runs, and how much history it keeps. */
export const sentinelConfigMappings = defineConfigMappings({
  enabled: {
    env: 'SENTINEL_ENABLED',
    flag: '--sentinel.enabled',
    parse: p.boolean,
    default: true,
    description:
      "Record every validator's proposals and attestations, made and missed, per slot (from L1 and gossip) and serve " +
      'them as node_getValidatorsStats. Runs on any node with the archiver.',
  },
  historyLengthInEpochs: {
    env: 'SENTINEL_HISTORY_LENGTH_IN_EPOCHS',
    flag: '--sentinel.historyLengthInEpochs',
    parse: p.integer({ min: 1, max: 100_000, placeholder: '<epochs>' }),
    default: 24,
    description:
      'How many L2 epochs of per-slot duties the sentinel keeps for each validator; older slots are dropped.',
  },
});

/** Typed sentinel settings. */
export type SentinelConfig = ConfigOf<typeof sentinelConfigMappings>;
