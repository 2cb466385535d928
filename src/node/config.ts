import { archiverConfigMappings } from '../archiver/config.js';
import {
  ConfigParseError,
  defineConfigMappings,
  parsers as p,
  redactSections,
  type ConfigOf,
  type ConfigOfSections,
  type ConfigSections,
} from '../foundation/config/index.js';
import { l1ConfigMappings } from '../l1/config.js';
import { p2pConfigMappings } from '../p2p/config.js';
import { proverConfigMappings } from '../prover/config.js';
import { sequencerConfigMappings } from '../sequencer/config.js';
import { sentinelConfigMappings } from '../sentinel/config.js';
import { slasherConfigMappings } from '../slasher/config.js';
import { snapshotConfigMappings } from '../snapshot/config.js';
import { validatorConfigMappings } from '../validator/config.js';
import { worldStateConfigMappings } from '../world-state/config.js';

const networkName = p.makeParser(
  {
    expected: 'a network name (letters, digits, - and _), a path to a network JSON file, or an http(s) URL serving one',
    placeholder: '<name|file|url>',
    sample: 'local',
  },
  raw => {
    const plain = /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(raw);
    const file = raw.endsWith('.json');
    const url = /^https?:\/\/\S+$/.test(raw);
    if (!plain && !file && !url) throw new ConfigParseError('it is neither a plain name, a .json file nor a URL');
    return raw;
  },
);

/** Node-wide settings: network preset, ports, storage, logging. */
export const nodeConfigMappings = defineConfigMappings({
  network: {
    env: 'NETWORK',
    flag: '--network',
    parse: networkName,
    defaultText: 'none (local with --local-network)',
    description:
      'A network preset: L1 chain id, timing constants, contract addresses, bootnodes. `local` is built in; others are networks/<name>.json.',
  },
  bootnodeUrl: {
    env: 'BOOTNODE_URL',
    flag: '--bootnode-url',
    parse: p.url(),
    description: 'URL of a bootnode that supplies the L1 contract addresses and the ENRs of the bootstrap nodes.',
  },
  port: {
    env: 'AZTEC_PORT',
    flag: '--port',
    parse: p.port,
    default: 8080,
    description: 'Port of the JSON-RPC API.',
  },
  host: {
    env: 'AZTEC_HOST',
    flag: '--host',
    parse: p.host,
    default: '0.0.0.0',
    description: 'Address the JSON-RPC API listens on (0.0.0.0: every interface, as a container needs).',
  },
  adminPort: {
    env: 'AZTEC_ADMIN_PORT',
    flag: '--admin-port',
    parse: p.port,
    default: 8880,
    description: 'Port of the admin JSON-RPC API (nodeAdmin_*); keep it private.',
  },
  adminHost: {
    env: 'AZTEC_ADMIN_HOST',
    flag: '--admin-host',
    parse: p.host,
    default: '127.0.0.1',
    description: 'Address the admin JSON-RPC API listens on; loopback by default so only this machine reaches it.',
  },
  dataDirectory: {
    env: 'DATA_DIRECTORY',
    flag: '--data-directory',
    parse: p.text('<path>', '/var/lib/aztec'),
    defaultText: 'none: data is kept in memory',
    description: 'Optional directory to store archiver and world state data. If omitted, data is kept in memory.',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: '--log-level',
    parse: p.logLevel,
    default: 'info',
    description: 'Log level, optionally per module: info;debug:archiver,sequencer;warn:p2p.',
  },
  logJson: {
    env: 'LOG_JSON',
    flag: '--log-json',
    parse: p.boolean,
    defaultText: 'true when stderr is not a terminal',
    description: 'Write logs as JSON lines instead of text.',
  },
});

/** Typed node-wide settings. */
export type NodeConfig = ConfigOf<typeof nodeConfigMappings>;

/**
 * Every module's settings, in the order `aztec start --help` shows them. A new module adds its mappings here
 * (the composition root is the one place that knows all modules).
 */
export const aztecConfigSections = {
  node: { title: 'Node', mappings: nodeConfigMappings },
  l1: { title: 'L1', mappings: l1ConfigMappings },
  archiver: { title: 'Archiver', mappings: archiverConfigMappings },
  worldState: { title: 'World state', mappings: worldStateConfigMappings },
  snapshot: { title: 'Snapshot sync', mappings: snapshotConfigMappings },
  sequencer: { title: 'Sequencer and publisher', mappings: sequencerConfigMappings },
  validator: { title: 'Validator', mappings: validatorConfigMappings },
  p2p: { title: 'P2P', mappings: p2pConfigMappings },
  prover: { title: 'Prover', mappings: proverConfigMappings },
  sentinel: { title: 'Sentinel', mappings: sentinelConfigMappings },
  slasher: { title: 'Slasher', mappings: slasherConfigMappings },
} satisfies ConfigSections;

/**
 * The whole typed configuration:
 * `{ node, l1, archiver, worldState, snapshot, sequencer, validator, p2p, prover, sentinel, slasher }`.
 */
export type AztecConfig = ConfigOfSections<typeof aztecConfigSections>;

/** The config with every secret replaced by `<redacted>`, safe to log. */
export function redactAztecConfig(config: AztecConfig): Record<string, Record<string, unknown>> {
  return redactSections(config, aztecConfigSections);
}
