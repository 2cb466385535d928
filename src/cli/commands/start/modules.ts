import { defineConfigMappings, parsers as p, type ConfigOf } from '../../../foundation/config/index.js';

/** The module switches of `aztec start`: command-line only, no environment variables. */
export const startModuleMappings = defineConfigMappings({
  node: {
    flag: '--node',
    parse: p.boolean,
    default: false,
    description: 'Starts the node: world state and the JSON-RPC API.',
  },
  archiver: {
    flag: '--archiver',
    parse: p.boolean,
    default: false,
    description: 'Starts the archiver, which syncs L2 blocks and messages from L1 and stores them.',
  },
  sequencer: {
    flag: '--sequencer',
    parse: p.boolean,
    default: false,
    description: 'Starts the sequencer: proposes blocks in its slots and attests to others.',
  },
  proverNode: {
    flag: '--prover-node',
    parse: p.boolean,
    default: false,
    description: 'Starts a prover node, which proves each epoch once it ends.',
  },
  p2pBootstrap: {
    flag: '--p2p-bootstrap',
    parse: p.boolean,
    default: false,
    description: 'Starts a p2p bootstrap node (a bootnode).',
  },
  localNetwork: {
    flag: '--local-network',
    parse: p.boolean,
    default: false,
    description: 'Starts a whole network on this machine with its own L1, for development (implies --network local).',
  },
  validators: {
    flag: '--validators',
    parse: p.integer({ min: 1, placeholder: '<n>' }),
    default: 1,
    description: 'With --local-network: how many validators to run.',
  },
});

/** Which modules `aztec start` was asked to run. */
export type StartModules = ConfigOf<typeof startModuleMappings>;

/** The modules that run as services (everything but the local network's own options). */
export const SERVICE_MODULES = ['node', 'archiver', 'sequencer', 'proverNode', 'p2pBootstrap'] as const;
