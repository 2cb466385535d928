import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, duplicateConfigNames, type ConfigMapping } from '../../../foundation/config/index.js';
import { defaultNetworksDir } from '../../../node/networks.js';
import { parseStartCommand, resolveAztecConfig, startSections, type StartCommand } from './parse.js';

type Started = Extract<StartCommand, { kind: 'start' }>;

const entries = Object.entries(startSections).flatMap(([section, s]) =>
  Object.entries<ConfigMapping<unknown>>(s.mappings).map(([key, m]) => ({ section, key, m })),
);

function valueOf(config: object, section: string, key: string): unknown {
  return (config as Record<string, Record<string, unknown>>)[section]?.[key];
}

function start(args: string[], env: Record<string, string> = {}): Started {
  const parsed = parseStartCommand(args, env);
  if (parsed.kind !== 'start') throw new Error('expected a start command');
  return parsed;
}

function failure(args: string[], env: Record<string, string> = {}, networksDir?: string): string {
  try {
    parseStartCommand(args, env, networksDir === undefined ? {} : { networksDir });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('aztec start declarations', () => {
  it('has no flag or environment variable declared twice', () => {
    expect(duplicateConfigNames(startSections)).toEqual([]);
    const dup = {
      mappings: { a: { env: 'ETHEREUM_HOSTS', flag: '--l1-rpc-urls', parse: entries[0]!.m.parse, description: '' } },
    };
    expect(duplicateConfigNames({ ...startSections, dup: { title: 'dup', ...dup } })).toEqual([
      'flag --l1-rpc-urls (l1.l1RpcUrls and dup.a)',
      'option name l1RpcUrls (l1.l1RpcUrls and dup.a)',
      'env ETHEREUM_HOSTS (l1.l1RpcUrls and dup.a)',
    ]);
  });

  it.each(entries.filter(e => e.m.env !== undefined))('parses $m.env from the environment', ({ section, key, m }) => {
    const { config } = resolveAztecConfig({ env: { [m.env!]: m.parse.sample } });
    expect(valueOf(config, section, key)).toEqual(m.parse(m.parse.sample));
  });

  it.each(entries)('parses $m.flag from the command line', ({ section, key, m }) => {
    for (const flag of [m.flag, ...(m.aliases ?? [])]) {
      const parsed = start(['--archiver', '--node', flag, m.parse.sample]);
      const target = section === 'modules' ? parsed.modules : parsed.config;
      expect(valueOf(section === 'modules' ? { modules: target } : target, section, key)).toEqual(
        m.parse(m.parse.sample),
      );
      if (m.parse.isBoolean) {
        const bare = start(['--archiver', '--node', flag]);
        expect(valueOf(section === 'modules' ? { modules: bare.modules } : bare.config, section, key)).toBe(true);
      }
    }
  });

  it('applies flag > env > preset > default', () => {
    expect(start(['--archiver', '--node']).config.l1.aztecSlotDuration).toBe(36);
    expect(start(['--archiver', '--node', '--network', 'local']).config.l1.aztecSlotDuration).toBe(8);
    expect(
      start(['--archiver', '--node', '--network', 'local'], { AZTEC_SLOT_DURATION: '24' }).config.l1.aztecSlotDuration,
    ).toBe(24);
    const all = start(['--archiver', '--node', '--network', 'local', '--l1.aztecSlotDuration', '12'], {
      AZTEC_SLOT_DURATION: '24',
    });
    expect(all.config.l1.aztecSlotDuration).toBe(12);
    expect(all.origins.l1.aztecSlotDuration).toBe('flag');
    expect(start(['--archiver', '--node'], { NETWORK: 'local' }).config.l1.l1ChainId).toBe(31337);
  });
});

describe('aztec start networks', () => {
  it('applies the built-in local preset, implied by --local-network', () => {
    const { config, preset } = start(['--local-network']);
    expect(preset?.name).toBe('local');
    expect(config.node.network).toBe('local');
    const l1 = config.l1;
    expect([l1.l1ChainId, l1.ethereumSlotDuration, l1.aztecSlotDuration, l1.aztecEpochDuration]).toEqual([
      31337, 2, 8, 8,
    ]);
    expect([l1.aztecProofSubmissionWindow, l1.aztecTargetCommitteeSize]).toEqual([16, 4]);
  });

  it('refuses alpha-testnet while its addresses and bootnodes are empty, saying which and how to give them', () => {
    const message = failure(['--network', 'alpha-testnet', '--archiver', '--node']);
    expect(message).toContain('network preset "alpha-testnet" leaves 10 value(s) empty');
    expect(message).toContain('ROLLUP_CONTRACT_ADDRESS (--l1.rollupAddress)');
    expect(message).toContain('BOOTSTRAP_NODES (--p2p.bootstrapNodes)');
    const addresses = Object.values(startSections.l1.mappings).filter(m => m.env?.endsWith('_CONTRACT_ADDRESS'));
    const env = Object.fromEntries(addresses.map(m => [m.env, m.parse.sample]));
    const filled = start(['--network', 'alpha-testnet', '--archiver', '--node', '--p2p.bootstrapNodes', 'enr:-x'], env);
    expect(filled.config.l1.l1ChainId).toBe(11155111);
    expect(filled.config.l1.aztecTargetCommitteeSize).toBe(48);
    expect(filled.config.l1.ethereumSlotDuration).toBe(12);
  });

  it('lists the known networks for an unknown one, files included', () => {
    expect(failure(['--network', 'nope', '--archiver', '--node'])).toContain(
      '--network / NETWORK: unknown network "nope"; known networks: local, alpha-testnet',
    );
    const dir = mkdtempSync(join(tmpdir(), 'networks-'));
    writeFileSync(join(dir, 'devnet.json'), JSON.stringify({ name: 'devnet', values: { L1_CHAIN_ID: '5' } }));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ name: 'broken', values: { L1_CHAIN_ID: 5 } }));
    expect(failure(['--network', 'x', '--archiver', '--node'], {}, dir)).toContain(
      'known networks: local, broken, devnet',
    );
    expect(failure(['--network', 'broken', '--archiver', '--node'], {}, dir)).toContain('broken.json is not valid');
    expect(parseStartCommand(['--network', 'devnet', '--archiver', '--node'], {}, { networksDir: dir })).toMatchObject({
      config: { l1: { l1ChainId: 5 } },
    });
    expect(defaultNetworksDir()).toMatch(/networks$/);
  });
});

describe('aztec start bad values', () => {
  const cases: [string, string[], Record<string, string>, string[]][] = [
    ['non-numeric port', [], { P2P_PORT: 'abc' }, ['--p2p.p2pPort / P2P_PORT', '"abc"', 'a port number']],
    ['non-numeric port flag', ['--port', '80a'], {}, ['--port / AZTEC_PORT', 'from flag --port', 'a port number']],
    ['malformed URL', [], { ETHEREUM_HOSTS: 'http://ok,notaurl' }, ['--l1-rpc-urls / ETHEREUM_HOSTS', 'entry 2 of 2']],
    ['short key', ['--sequencer.validatorPrivateKey', '0x1234'], {}, ['VALIDATOR_PRIVATE_KEY', '64 hex characters']],
    ['short address', [], { COINBASE: '0x1234' }, ['--sequencer.coinbase / COINBASE', '20-byte Ethereum address']],
    ['bad boolean', [], { P2P_ENABLED: 'maybe' }, ['--p2p-enabled / P2P_ENABLED', 'true, false, 1, 0, yes or no']],
  ];
  it.each(cases)('%s: names flag, env and expected form', (_, args, env, needles) => {
    const message = failure(['--node', ...args], env);
    for (const needle of needles) expect(message).toContain(needle);
  });

  it('lists every problem at once', () => {
    const message = failure(['--node', '--port', 'x'], { P2P_PORT: 'y', ETHEREUM_HOSTS: 'z', NETWORK: 'nope' });
    expect(message).toContain('Invalid configuration (4 problems)');
  });

  it('never shows a private key, bad or valid', () => {
    const bad = '0xfeedfacefeedface';
    const good = `0x${'9a'.repeat(32)}`;
    const message = failure(['--node', '--sequencer.validatorPrivateKey', bad, '--port', 'x'], {
      SEQ_PUBLISHER_PRIVATE_KEY: good,
      PEER_ID_PRIVATE_KEY: 'feedface',
    });
    expect(message).toContain('--sequencer.validatorPrivateKey / VALIDATOR_PRIVATE_KEY: the value from flag');
    expect(message).toContain('--p2p.peerIdPrivateKey / PEER_ID_PRIVATE_KEY');
    expect(message).not.toMatch(/feedface|9a9a/);
    expect(failure(['--node', `--sequencer.validatorPrivatekey=${good}`])).not.toContain('9a9a');
    const help = parseStartCommand(['--help'], { VALIDATOR_PRIVATE_KEY: good });
    expect(JSON.stringify(help)).not.toContain('9a9a');
  });

  it('reads the slasher settings and refuses a zero slashing penalty, naming it', () => {
    const s = start(['--archiver'], {
      SLASH_EQUIVOCATION_ENABLED: 'false',
      SLASH_VALIDATORS_NEVER: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      AZTEC_SLASH_PENALTY: '5e18',
      SLASH_INACTIVITY_TARGET_PERCENTAGE: '0.8',
      SLASH_INACTIVITY_EPOCHS: '3',
      SLASH_INACTIVITY_PENALTY: '2e18',
    });
    expect(s.config.slasher).toEqual({
      equivocationEnabled: false,
      inactivityEnabled: true,
      inactivityTargetPercentage: 0.8,
      inactivityEpochs: 3,
      inactivityPenalty: 2n * 10n ** 18n,
      validatorsNever: ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8'],
    });
    expect(s.config.l1.aztecSlashPenalty).toBe(5n * 10n ** 18n);
    const message = failure(['--archiver'], { AZTEC_SLASH_PENALTY: '0' });
    expect(message).toContain('AZTEC_SLASH_PENALTY');
    expect(message).toContain('above 0');
    for (const bad of ['0', '1.5', 'x']) {
      expect(failure(['--archiver'], { SLASH_INACTIVITY_TARGET_PERCENTAGE: bad })).toContain(
        'SLASH_INACTIVITY_TARGET_PERCENTAGE',
      );
    }
    expect(failure(['--archiver'], { SLASH_INACTIVITY_PENALTY: '0' })).toContain('SLASH_INACTIVITY_PENALTY');
  });

  it('refuses module combinations that cannot work, naming the flag', () => {
    expect(failure(['--sequencer'])).toContain('--sequencer needs --node');
    expect(failure(['--archiver', '--sequencer'])).toContain('--sequencer needs --node');
    expect(failure(['--node'])).toContain('--node needs --archiver');
    expect(failure(['--prover-node'])).toContain('--prover-node needs --archiver');
    expect(failure(['--archiver'], { P2P_ENABLED: 'true' })).toContain('--p2p-enabled (P2P_ENABLED) needs --node');
    expect(start(['--archiver']).modules).toMatchObject({ archiver: true, node: false });
    expect(start(['--archiver', '--node', '--sequencer']).modules).toMatchObject({ sequencer: true });
    expect(start(['--archiver', '--prover-node']).modules).toMatchObject({ proverNode: true });
  });

  it('requires a module and rejects unknown flags', () => {
    expect(failure([])).toContain('choose what to start with at least one of --node, --archiver');
    expect(failure(['--node', '--nope'])).toContain("unknown option '--nope'");
  });
});
