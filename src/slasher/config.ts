import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/**
 * Slasher settings, named after Aztec's `SLASH_*` where one fits. The penalty and the reporter's share are not node
 * settings here: the Slasher contract carries them (`AZTEC_SLASH_PENALTY`, `AZTEC_SLASH_REPORTER_REWARD_BPS` at
 * deployment).
 */
export const slasherConfigMappings = defineConfigMappings({
  equivocationEnabled: {
    env: 'SLASH_EQUIVOCATION_ENABLED',
    flag: '--slasher.equivocationEnabled',
    parse: p.boolean,
    default: true,
    description:
      'Whether this node submits evidence to L1 when a validator signs two different blocks or attestations for ' +
      'one slot (needs P2P and a publisher key; never against this node’s own validators).',
  },
  validatorsNever: {
    env: 'SLASH_VALIDATORS_NEVER',
    flag: '--slasher.validatorsNever',
    parse: p.addressList,
    default: [],
    defaultText: 'none',
    description: 'Attester addresses this node never reports, besides its own (which it never reports in any case).',
  },
});

/** Typed slasher settings. */
export type SlasherConfig = ConfigOf<typeof slasherConfigMappings>;
