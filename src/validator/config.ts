import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** Validator (attester) settings. The key's flag lives under `--sequencer.` as in the operator guide. */
export const validatorConfigMappings = defineConfigMappings({
  validatorPrivateKey: {
    env: 'VALIDATOR_PRIVATE_KEY',
    flag: '--sequencer.validatorPrivateKey',
    parse: p.privateKey,
    secret: true,
    description:
      "Your sequencer's private key, the one signing attestations and blocks (also the publisher key unless SEQ_PUBLISHER_PRIVATE_KEY).",
  },
  keyStoreDirectory: {
    env: 'KEY_STORE_DIRECTORY',
    flag: '--keystore',
    parse: p.text('<file|dir>', 'keystore.json'),
    description:
      'A keystore file, or a folder of them: the validators this node runs (attester, publishers, coinbase, fee ' +
      'recipient each). Instead of VALIDATOR_PRIVATE_KEY; `aztec validator-keys new` writes one.',
  },
  disabled: {
    env: 'VALIDATOR_DISABLED',
    flag: '--validator.disabled',
    parse: p.boolean,
    default: false,
    description: "If this is true, the client won't perform any validator duties.",
  },
  attestationsWaitTimeoutMs: {
    env: 'VALIDATOR_ATTESTATIONS_WAIT_TIMEOUT_MS',
    flag: '--validator.attestationsWaitTimeoutMs',
    parse: p.positiveMs,
    default: 6000,
    description: 'How long a proposer waits for attestations; after this it gives up the block for that slot.',
  },
  haSigningEnabled: {
    env: 'VALIDATOR_HA_SIGNING_ENABLED',
    flag: '--validator.haSigningEnabled',
    parse: p.boolean,
    default: false,
    description:
      'High-availability signing: several nodes run the same attesters, and each duty (attester, slot, proposal or ' +
      'attestation) is claimed in the PostgreSQL database VALIDATOR_HA_DATABASE_URL before it is signed, so only one ' +
      'node signs it.',
  },
  haDatabaseUrl: {
    env: 'VALIDATOR_HA_DATABASE_URL',
    flag: '--validator.haDatabaseUrl',
    parse: p.url(['postgres', 'postgresql']),
    secret: true,
    description:
      'PostgreSQL URL of the HA signing database shared by the nodes of one validator set ' +
      '(postgres://user:password@host:5432/db); prepare its schema with `aztec migrate-ha-db up`.',
  },
  haNodeId: {
    env: 'VALIDATOR_HA_NODE_ID',
    flag: '--validator.haNodeId',
    parse: p.text('<id>', 'validator-0'),
    defaultText: "the machine's host name",
    description:
      "This node's name in the HA signing database: unique among the nodes sharing it, and the same across restarts " +
      '(a restarted node may re-sign a duty it claimed with the same digest).',
  },
  allowEphemeralSigningProtection: {
    env: 'VALIDATOR_ALLOW_EPHEMERAL_SIGNING_PROTECTION',
    flag: '--validator.allowEphemeralSigningProtection',
    parse: p.boolean,
    default: false,
    description:
      'Let a validator sign without a data directory or HA signing, its slashing protection history kept in memory ' +
      'and lost at exit (a restart may then sign a second, different block or attestation for a slot): for tests.',
  },
  attestationsPollingIntervalMs: {
    env: 'VALIDATOR_ATTESTATIONS_POLLING_INTERVAL_MS',
    flag: '--validator.attestationsPollingIntervalMs',
    parse: p.positiveMs,
    default: 200,
    description: 'If not enough attestations have arrived, sleep for this long and check again.',
  },
  doppelgangerEpochs: {
    env: 'VALIDATOR_DOPPELGANGER_EPOCHS',
    flag: '--validator.doppelgangerEpochs',
    parse: p.integer({
      min: 0,
      max: 64,
      expected: 'a whole number of epochs from 0 (off) to 64',
      placeholder: '<epochs>',
    }),
    default: 0,
    defaultText: '0 (off); 2 with the public network presets (networks/*.json), 0 on the local network',
    description:
      'Doppelganger protection: at start, watch gossip and L1 for this many whole epochs for signatures by our ' +
      'attesters that this node (or its HA database) did not make, and sign nothing until then; an attester seen ' +
      'signing elsewhere is never signed with by this process. 0 turns it off.',
  },
});

/** Typed validator settings. */
export type ValidatorConfig = ConfigOf<typeof validatorConfigMappings>;
