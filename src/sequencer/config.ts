import { defineConfigMappings, parsers as p, type ConfigOf } from '../foundation/config/index.js';

/** Sequencer and L1 publisher settings (the guide's "Sequencer Config" and "Publisher" tables). */
export const sequencerConfigMappings = defineConfigMappings({
  publisherPrivateKey: {
    env: 'SEQ_PUBLISHER_PRIVATE_KEY',
    flag: '--sequencer.publisherPrivateKey',
    parse: p.privateKey,
    secret: true,
    defaultText: 'the validator private key',
    description: 'Key of the L1 account that publishes blocks. This should be the same as your validator private key.',
  },
  publisherMinBalance: {
    env: 'SEQ_PUBLISHER_MIN_BALANCE',
    flag: '--sequencer.publisherMinBalance',
    parse: p.bigint,
    default: 10n ** 16n,
    defaultText: '1e16 (0.01 ETH)',
    description:
      'Wei a publisher needs to be used; one with less is skipped with a warning for the next publisher of its validator.',
  },
  publishRetryIntervalMs: {
    env: 'SEQ_PUBLISH_RETRY_INTERVAL_MS',
    flag: '--sequencer.publishRetryIntervalMs',
    parse: p.positiveMs,
    default: 1000,
    description: 'The interval to wait between publish retries.',
  },
  viemPollingIntervalMs: {
    env: 'SEQ_VIEM_POLLING_INTERVAL_TIME',
    flag: '--sequencer.viemPollingIntervalMs',
    parse: p.positiveMs,
    default: 1000,
    description: 'The polling interval viem uses in ms (e.g. while waiting for an L1 transaction receipt).',
  },
  governanceProposerPayload: {
    env: 'GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS',
    flag: '--sequencer.governanceProposerPayload',
    parse: p.address,
    description:
      'L1 address of a governance payload to signal for in the slots where you are the proposer (to vote on an upgrade).',
  },
  enforceTimeTable: {
    env: 'SEQ_ENFORCE_TIME_TABLE',
    flag: '--sequencer.enforceTimeTable',
    parse: p.boolean,
    default: false,
    description:
      'Whether to enforce strict timeliness requirements: each step must start before its deadline in the slot.',
  },
  maxTxsPerBlock: {
    env: 'SEQ_MAX_TX_PER_BLOCK',
    flag: '--sequencer.maxTxsPerBlock',
    parse: p.integer({ min: 1, placeholder: '<txs>' }),
    default: 32,
    description: 'The most txs in a block. Increase this to make larger blocks.',
  },
  minTxsPerBlock: {
    env: 'SEQ_MIN_TX_PER_BLOCK',
    flag: '--sequencer.minTxsPerBlock',
    parse: p.integer({ min: 0, placeholder: '<txs>' }),
    default: 0,
    description: 'The fewest txs in a block (0: empty blocks are built). Increase this to require larger blocks.',
  },
  coinbase: {
    env: 'COINBASE',
    flag: '--sequencer.coinbase',
    parse: p.address,
    defaultText: "the validator's L1 address",
    description: "The L1 address that receives the validator's share of block rewards.",
  },
  feeRecipient: {
    env: 'FEE_RECIPIENT',
    flag: '--sequencer.feeRecipient',
    parse: p.l2Address,
    defaultText: "the validator's address on L2",
    description: "The L2 (Aztec) address, 32 bytes, that receives the validator's share of transaction fees.",
  },
});

/** Typed sequencer settings. */
export type SequencerConfig = ConfigOf<typeof sequencerConfigMappings>;
