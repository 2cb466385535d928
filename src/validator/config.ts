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
  attestationsPollingIntervalMs: {
    env: 'VALIDATOR_ATTESTATIONS_POLLING_INTERVAL_MS',
    flag: '--validator.attestationsPollingIntervalMs',
    parse: p.positiveMs,
    default: 200,
    description: 'If not enough attestations have arrived, sleep for this long and check again.',
  },
});

/** Typed validator settings. */
export type ValidatorConfig = ConfigOf<typeof validatorConfigMappings>;
