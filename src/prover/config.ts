import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** Prover node settings. */
export const proverConfigMappings = defineConfigMappings({
  publisherPrivateKey: {
    env: 'PROVER_PUBLISHER_PRIVATE_KEY',
    flag: '--prover.publisherPrivateKey',
    parse: p.privateKey,
    secret: true,
    description: 'Key of the L1 account that submits epoch proofs.',
  },
  proverId: {
    env: 'PROVER_ID',
    flag: '--prover.proverId',
    parse: p.address,
    defaultText: 'the address of the publisher key',
    description: 'Identifies the prover in submitted proofs (an L1 address).',
  },
});

/** Typed prover settings. */
export type ProverConfig = ConfigOf<typeof proverConfigMappings>;
