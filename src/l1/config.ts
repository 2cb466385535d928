import { ADDRESS_SETTINGS, type L1ContractAddresses } from './addresses.js';
import { ConfigParseError, defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** An amount above zero (the Slasher refuses a zero penalty). */
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

function contract(env: string, flag: string, what: string) {
  return { env, flag: `--l1.${flag}`, parse: p.address, description: `Address of the ${what} on L1.` };
}

/**
 * L1 settings: RPC endpoints, chain id, the rollup's contract addresses and the deployment constants used by
 * `aztec deploy-l1-contracts`. ETHEREUM_HOSTS defaults to anvil's own address (http://127.0.0.1:8545) so a
 * laptop setup works without flags; a network preset that needs a real endpoint lists it as a required value.
 */
export const l1ConfigMappings = defineConfigMappings({
  l1RpcUrls: {
    env: 'ETHEREUM_HOSTS',
    flag: '--l1-rpc-urls',
    parse: p.urlList(),
    default: ['http://127.0.0.1:8545'],
    description: 'L1 execution node RPC URLs, comma separated; later ones are used when earlier ones fail.',
  },
  l1ChainId: {
    env: 'L1_CHAIN_ID',
    flag: '--l1-chain-id',
    parse: p.integer({ min: 1 }),
    default: 31337,
    description: 'Chain id of the L1.',
  },
  l1ConsensusHostUrls: {
    env: 'L1_CONSENSUS_HOST_URLS',
    flag: '--l1-consensus-host-urls',
    aliases: ['--l1-consensus-host-url'],
    parse: p.urlList(['http', 'https']),
    description: 'L1 beacon node API base URLs, comma separated; used to fetch blobs.',
  },
  l1ConsensusHostApiKeys: {
    env: 'L1_CONSENSUS_HOST_API_KEYS',
    flag: '--l1-consensus-host-api-keys',
    aliases: ['--l1-consensus-host-api-key'],
    parse: p.stringList('<key,...>'),
    secret: true,
    description:
      'API keys of the beacon URLs, in the same order; sent in the header named below, or as ?key= when none is named.',
  },
  l1ConsensusHostApiKeyHeaders: {
    env: 'L1_CONSENSUS_HOST_API_KEY_HEADERS',
    flag: '--l1-consensus-host-api-key-headers',
    aliases: ['--l1-consensus-host-api-key-header'],
    parse: p.stringList('<header,...>'),
    description: 'Header names that carry the beacon API keys, in the same order (e.g. X-API-KEY).',
  },
  registryAddress: contract('REGISTRY_CONTRACT_ADDRESS', 'registryAddress', 'Registry contract'),
  rollupAddress: contract('ROLLUP_CONTRACT_ADDRESS', 'rollupAddress', 'Rollup contract'),
  inboxAddress: contract('INBOX_CONTRACT_ADDRESS', 'inboxAddress', 'Inbox (L1 to L2 messages) contract'),
  outboxAddress: contract('OUTBOX_CONTRACT_ADDRESS', 'outboxAddress', 'Outbox (L2 to L1 messages) contract'),
  feeJuicePortalAddress: contract('FEE_JUICE_PORTAL_CONTRACT_ADDRESS', 'feeJuicePortalAddress', 'fee juice portal'),
  stakingAssetAddress: contract('STAKING_ASSET_CONTRACT_ADDRESS', 'stakingAssetAddress', 'staking asset (TST)'),
  feeAssetAddress: contract('FEE_ASSET_CONTRACT_ADDRESS', 'feeAssetAddress', 'fee asset token'),
  governanceProposerAddress: contract(
    'GOVERNANCE_PROPOSER_CONTRACT_ADDRESS',
    'governanceProposerAddress',
    'GovernanceProposer contract',
  ),
  stakingAssetHandlerAddress: contract(
    'STAKING_ASSET_HANDLER_CONTRACT_ADDRESS',
    'stakingAssetHandlerAddress',
    'staking asset handler (mints and deposits stake for new validators)',
  ),
  ethereumSlotDuration: {
    env: 'ETHEREUM_SLOT_DURATION',
    flag: '--l1.ethereumSlotDuration',
    parse: p.seconds(),
    default: 12,
    description: 'L1 block time in seconds (the local network runs its own L1 at this pace).',
  },
  aztecSlotDuration: {
    env: 'AZTEC_SLOT_DURATION',
    flag: '--l1.aztecSlotDuration',
    parse: p.seconds(),
    default: 36,
    description: 'L2 slot duration in seconds (deployment constant; a multiple of the L1 block time).',
  },
  aztecEpochDuration: {
    env: 'AZTEC_EPOCH_DURATION',
    flag: '--l1.aztecEpochDuration',
    parse: p.integer({ min: 1, placeholder: '<slots>' }),
    default: 32,
    description: 'Epoch length in L2 slots (deployment constant).',
  },
  aztecTargetCommitteeSize: {
    env: 'AZTEC_TARGET_COMMITTEE_SIZE',
    flag: '--l1.aztecTargetCommitteeSize',
    parse: p.integer({ min: 1 }),
    default: 48,
    description: 'Number of attesters sampled into each epoch committee (deployment constant).',
  },
  aztecProofSubmissionWindow: {
    env: 'AZTEC_PROOF_SUBMISSION_WINDOW',
    flag: '--l1.aztecProofSubmissionWindow',
    parse: p.integer({ min: 1, placeholder: '<slots>' }),
    default: 64,
    description: 'Slots after an epoch ends within which its proof must land, or the epoch is pruned.',
  },
  aztecMinimumStake: {
    env: 'AZTEC_MINIMUM_STAKE',
    flag: '--l1.aztecMinimumStake',
    parse: p.bigint,
    default: 100n * 10n ** 18n,
    description: 'Minimum stake of a validator, in base units of the staking asset (deployment constant).',
  },
  aztecExitDelaySeconds: {
    env: 'AZTEC_EXIT_DELAY_SECONDS',
    flag: '--l1.aztecExitDelaySeconds',
    parse: p.seconds(0),
    default: 2 * 24 * 3600,
    description: 'Delay between a validator starting to exit and its stake being withdrawable (deployment constant).',
  },
  aztecBlockReward: {
    env: 'AZTEC_BLOCK_REWARD',
    flag: '--l1.aztecBlockReward',
    parse: p.bigint,
    default: 50n * 10n ** 18n,
    description: 'Reward per proven block in base units of the fee asset, paid to COINBASE (deployment constant).',
  },
  aztecSlashPenalty: {
    env: 'AZTEC_SLASH_PENALTY',
    flag: '--l1.aztecSlashPenalty',
    parse: positiveAmount,
    default: 10n * 10n ** 18n,
    description:
      'Stake the Slasher takes from a validator per proven equivocation (two different blocks or attestations ' +
      'signed for one slot), in base units of the staking asset (deployment constant, above 0).',
  },
  aztecSlashReporterRewardBps: {
    env: 'AZTEC_SLASH_REPORTER_REWARD_BPS',
    flag: '--l1.aztecSlashReporterRewardBps',
    parse: p.integer({ min: 0, max: 10_000, placeholder: '<basis points>' }),
    default: 1000,
    description:
      'Share of a slashing penalty paid to the account that submitted the evidence, in basis points; the rest is ' +
      'burnt (deployment constant).',
  },
  aztecSlashingQuorum: {
    env: 'AZTEC_SLASHING_QUORUM',
    flag: '--l1.aztecSlashingQuorum',
    parse: p.integer({ min: 1, placeholder: '<signals>' }),
    default: 6,
    description:
      'Slashing by proposer votes: signals a slash payload needs within a round, more than half the round ' +
      '(deployment constant).',
  },
  aztecSlashingRoundSize: {
    env: 'AZTEC_SLASHING_ROUND_SIZE',
    flag: '--l1.aztecSlashingRoundSize',
    parse: p.integer({ min: 1, placeholder: '<slots>' }),
    default: 10,
    description: 'Slots per slashing vote round (deployment constant).',
  },
  aztecSlashingExecutionDelayInRounds: {
    env: 'AZTEC_SLASHING_EXECUTION_DELAY_IN_ROUNDS',
    flag: '--l1.aztecSlashingExecutionDelayInRounds',
    parse: p.integer({ min: 0, placeholder: '<rounds>' }),
    default: 1,
    description:
      'Whole rounds after a slashing round before its payload may be executed: the window for a veto (deployment ' +
      'constant).',
  },
  aztecSlashingLifetimeInRounds: {
    env: 'AZTEC_SLASHING_LIFETIME_IN_ROUNDS',
    flag: '--l1.aztecSlashingLifetimeInRounds',
    parse: p.integer({ min: 1, placeholder: '<rounds>' }),
    default: 5,
    description:
      'Rounds after the delay during which a voted slash payload may still be executed (deployment constant).',
  },
  aztecSlashingVetoer: {
    env: 'AZTEC_SLASHING_VETOER',
    flag: '--l1.aztecSlashingVetoer',
    parse: p.address,
    defaultText: 'the deployer',
    description: 'The L1 account that may veto a voted slash payload before it is executed (deployment constant).',
  },
  aztecGovernanceQuorum: {
    env: 'AZTEC_GOVERNANCE_QUORUM',
    flag: '--l1.aztecGovernanceQuorum',
    parse: p.integer({ min: 1, placeholder: '<signals>' }),
    default: 6,
    description: 'Signals a payload needs within a round to become a proposal (deployment constant).',
  },
  aztecGovernanceRoundSize: {
    env: 'AZTEC_GOVERNANCE_ROUND_SIZE',
    flag: '--l1.aztecGovernanceRoundSize',
    parse: p.integer({ min: 1, placeholder: '<slots>' }),
    default: 10,
    description: 'Length of a governance signalling round in L2 slots (deployment constant).',
  },
  aztecHandlerMintIntervalSeconds: {
    env: 'AZTEC_HANDLER_MINT_INTERVAL_SECONDS',
    flag: '--l1.aztecHandlerMintIntervalSeconds',
    parse: p.seconds(0),
    default: 3600,
    description: 'Minimum time between two mints of the staking asset handler (deployment constant).',
  },
});

/** Typed L1 settings. */
export type L1Config = ConfigOf<typeof l1ConfigMappings>;

/** The addresses as env-style values (`ROLLUP_CONTRACT_ADDRESS: 0x…`), for network presets. */
export function addressPresetValues(a: L1ContractAddresses): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, key] of Object.entries(ADDRESS_SETTINGS)) {
    const env = key ? l1ConfigMappings[key].env : undefined;
    if (env) out[env] = a[name as keyof L1ContractAddresses];
  }
  return out;
}
