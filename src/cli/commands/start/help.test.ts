import { describe, expect, it } from 'vitest';

import type { ConfigMapping } from '../../../foundation/config/index.js';
import { parseStartCommand, startSections } from './parse.js';

/** Every variable in the operator guide's tables (IMAGE belongs to aztec-spartan only). */
const SEED_VARIABLES = [
  'ETHEREUM_HOSTS',
  'BOOTNODE_URL',
  'L1_CHAIN_ID',
  'DATA_DIRECTORY',
  'ARCHIVER_POLLING_INTERVAL_MS',
  'SEQ_PUBLISHER_PRIVATE_KEY',
  'SEQ_PUBLISH_RETRY_INTERVAL_MS',
  'SEQ_VIEM_POLLING_INTERVAL_TIME',
  'VALIDATOR_DISABLED',
  'VALIDATOR_ATTESTATIONS_WAIT_TIMEOUT_MS',
  'VALIDATOR_ATTESTATIONS_POLLING_INTERVAL_MS',
  'GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS',
  'SEQ_ENFORCE_TIME_TABLE',
  'SEQ_MAX_TX_PER_BLOCK',
  'SEQ_MIN_TX_PER_BLOCK',
  'COINBASE',
  'FEE_RECIPIENT',
  'BOOTSTRAP_NODES',
  'P2P_IP',
  'P2P_PORT',
  'P2P_LISTEN_ADDR',
  'P2P_LISTEN_ARR',
  'P2P_UDP_LISTEN_ADDR',
  'P2P_QUERY_FOR_IP',
  'P2P_ENABLED',
  'P2P_MAX_PEERS',
  'P2P_BLOCK_CHECK_INTERVAL_MS',
  'PEER_ID_PRIVATE_KEY',
];

/** The guide's and DESIGN §2's flags, spelled exactly. */
const GUIDE_FLAGS = [
  '--network',
  '--l1-rpc-urls',
  '--l1-consensus-host-url',
  '--l1-consensus-host-api-key',
  '--l1-consensus-host-api-key-header',
  '--archiver',
  '--node',
  '--sequencer',
  '--sequencer.validatorPrivateKey',
  '--p2p.p2pIp',
  '--p2p.p2pPort',
  '--port',
  '--admin-port',
  '--data-directory',
  '--p2p-enabled',
  '--prover-node',
  '--p2p-bootstrap',
  '--local-network',
];

function helpText(env: Record<string, string> = {}): string {
  const parsed = parseStartCommand(['--help'], env);
  if (parsed.kind !== 'help') throw new Error('expected help');
  return parsed.text;
}

const mappings = Object.values(startSections).flatMap(s => Object.values<ConfigMapping<unknown>>(s.mappings));

describe('aztec start --help', () => {
  const help = helpText();

  it('declares and shows every variable of the guide and every guide flag', () => {
    const envs = new Set(mappings.flatMap(m => [m.env, ...(m.envAliases ?? [])]));
    const flags = new Set(mappings.flatMap(m => [m.flag, ...(m.aliases ?? [])]));
    for (const name of SEED_VARIABLES) {
      expect(envs.has(name), name).toBe(true);
      expect(help, name).toMatch(new RegExp(`\\b${name}\\b`));
    }
    for (const flag of GUIDE_FLAGS) {
      expect(flags.has(flag), flag).toBe(true);
      expect(help, flag).toMatch(new RegExp(`  (.*, )?${flag.replace('.', '\\.')}[ ,\\n]`));
    }
  });

  it('shows each setting with its env var and default under its module', () => {
    for (const m of mappings) {
      expect(help).toContain(m.flag);
      if (m.env !== undefined) expect(help).toContain(`[env: ${m.env}`);
    }
    for (const s of Object.values(startSections)) expect(help).toContain(`\n${s.title}:\n`);
    expect(help).toContain('--l1-rpc-urls <url,...>  [env: ETHEREUM_HOSTS]  [default: http://127.0.0.1:8545]');
    expect(help).toContain('--p2p.p2pPort <port>  [env: P2P_PORT]  [default: 40400]');
    expect(help).toContain('[env: P2P_LISTEN_ADDR (or P2P_LISTEN_ARR)]  [default: 0.0.0.0]');
    expect(help).toContain('--l1-consensus-host-urls, --l1-consensus-host-url <url,...>');
    expect(help).toContain('Known networks: local, alpha-testnet');
    expect(help.indexOf('\nL1:\n')).toBeLessThan(help.indexOf('--l1-chain-id'));
    expect(help.indexOf('\nP2P:\n')).toBeLessThan(help.indexOf('--p2p.maxPeers'));
  });

  it('does not depend on the environment, so secrets in it never show', () => {
    const key = `0x${'7c'.repeat(32)}`;
    expect(helpText({ VALIDATOR_PRIVATE_KEY: key, L1_CONSENSUS_HOST_API_KEYS: 'sekrit', AZTEC_PORT: '1' })).toBe(help);
  });
});
