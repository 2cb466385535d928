import { ConfigParseError, defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** A share above 0 and at most 1 (`0.9` = 90 %). */
const share = p.makeParser(
  { expected: 'a number above 0 and at most 1, e.g. 0.9', placeholder: '<0..1>', sample: '0.9' },
  raw => {
    const v = Number(raw);
    if (!/^\d*\.?\d+$/.test(raw) || !(v > 0 && v <= 1)) throw new ConfigParseError('not a share above 0 and at most 1');
    return v;
  },
);

/** An amount above zero. */
const positiveAmount = p.makeParser(
  {
    expected: 'a whole number above 0: decimal digits, or a form like 10e18',
    placeholder: '<amount>',
    sample: '10e18',
  },
  raw => {
    const v = p.bigint(raw);
    if (v === 0n) throw new ConfigParseError('it is 0');
    return v;
  },
);

/**
 * Slasher settings, named after Aztec's `SLASH_*` where one fits. The equivocation penalty and the reporter's share
 * are not node settings here: the Slasher contract carries them (`AZTEC_SLASH_PENALTY`,
 * `AZTEC_SLASH_REPORTER_REWARD_BPS` at deployment). The inactivity penalty is in the payload the nodes vote for, so
 * it is a node setting (as Aztec's `SLASH_INACTIVITY_PENALTY`).
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
  inactivityEnabled: {
    env: 'SLASH_INACTIVITY_ENABLED',
    flag: '--slasher.inactivityEnabled',
    parse: p.boolean,
    default: true,
    description:
      'Whether this node votes to slash inactive validators: in the slots its validators propose it signals, on the ' +
      'L1 Slasher, a payload slashing every validator that missed SLASH_INACTIVITY_TARGET_PERCENTAGE of its duties in ' +
      'each of the last SLASH_INACTIVITY_EPOCHS epochs (from the sentinel; never its own validators), and executes ' +
      'rounds that reached the quorum.',
  },
  inactivityTargetPercentage: {
    env: 'SLASH_INACTIVITY_TARGET_PERCENTAGE',
    flag: '--slasher.inactivityTargetPercentage',
    parse: share,
    default: 0.9,
    description:
      'Share of its duties (proposals and attestations) a validator must miss in an epoch for the epoch to count ' +
      'as inactive, above 0 and at most 1.',
  },
  inactivityEpochs: {
    env: 'SLASH_INACTIVITY_EPOCHS',
    flag: '--slasher.inactivityEpochs',
    parse: p.integer({ min: 1, max: 10_000, placeholder: '<epochs>' }),
    default: 2,
    description:
      'Consecutive epochs, each inactive, that make a validator an offender (the epochs ending before the vote ' +
      'round; within SENTINEL_HISTORY_LENGTH_IN_EPOCHS).',
  },
  inactivityPenalty: {
    env: 'SLASH_INACTIVITY_PENALTY',
    flag: '--slasher.inactivityPenalty',
    parse: positiveAmount,
    default: 10n * 10n ** 18n,
    description:
      'Stake each inactive validator loses when the payload is executed, in base units of the staking asset; every ' +
      'node must use the same value to agree on the payload.',
  },
  validatorsNever: {
    env: 'SLASH_VALIDATORS_NEVER',
    flag: '--slasher.validatorsNever',
    parse: p.addressList,
    default: [],
    defaultText: 'none',
    description:
      'Attester addresses this node never reports nor votes to slash, besides its own (which it never reports or ' +
      'votes against in any case).',
  },
});

/** Typed slasher settings. */
export type SlasherConfig = ConfigOf<typeof slasherConfigMappings>;
