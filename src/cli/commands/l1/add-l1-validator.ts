import { ConfigError, defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { createLogger } from '../../../foundation/log/index.js';
import { l1ConfigMappings } from '../../../l1/config.js';
import { checkL1ChainId } from '../../../l1/chain-check.js';
import { createL1PublicClient, createL1WalletClient } from '../../../l1/clients.js';
import { addValidatorThroughHandler, depositValidator } from '../../../l1/validators.js';
import { configCommand, missingSetting, type CommandSpec } from '../../command-config.js';

const addValidatorMappings = defineConfigMappings({
  attester: {
    flag: '--attester',
    parse: p.address,
    description: "Address of the validator's signing key (VALIDATOR_PRIVATE_KEY's address).",
  },
  proposer: {
    flag: '--proposer',
    parse: p.address,
    defaultText: 'the attester',
    description: 'L1 account allowed to publish blocks for this validator (SEQ_PUBLISHER_PRIVATE_KEY).',
  },
  withdrawer: {
    flag: '--withdrawer',
    parse: p.address,
    defaultText: 'the attester',
    description: 'Who may withdraw the stake (with --direct; the handler uses its own configured withdrawer).',
  },
  privateKey: {
    env: 'L1_PRIVATE_KEY',
    flag: '--private-key',
    parse: p.privateKey,
    secret: true,
    description: 'Key of the L1 account that sends the transaction (and pays the stake with --direct).',
  },
  direct: {
    flag: '--direct',
    parse: p.boolean,
    default: false,
    description:
      "Deposit the minimum stake from the sender's own staking asset instead of through the staking asset handler.",
  },
});

const spec: CommandSpec<typeof addValidatorMappings> = {
  name: 'add-l1-validator',
  title: 'Validator',
  summary:
    'Stakes a validator on the rollup: through the staking asset handler (it mints the stake; rate limited), ' +
    "or with --direct from the sender's own staking asset.",
  mappings: addValidatorMappings,
};

/** `aztec add-l1-validator`. */
export const addL1ValidatorCommand = configCommand(spec, async ({ own, config }, ctx) => {
  if (!own.attester) throw missingSetting(addValidatorMappings.attester, 'the validator to stake');
  if (!own.privateKey) throw missingSetting(addValidatorMappings.privateKey, 'someone sends the L1 transaction');
  const { rollupAddress, stakingAssetAddress, stakingAssetHandlerAddress } = config.l1;
  const opts = { rpcUrls: config.l1.l1RpcUrls, chainId: config.l1.l1ChainId };
  await checkL1ChainId(opts.rpcUrls, opts.chainId);
  const c = {
    publicClient: createL1PublicClient(opts),
    walletClient: createL1WalletClient(opts, own.privateKey),
  };
  const v = {
    attester: own.attester,
    proposer: own.proposer ?? own.attester,
    withdrawer: own.withdrawer ?? own.attester,
  };
  if (own.direct) {
    if (!rollupAddress) throw missingSetting(l1ConfigMappings.rollupAddress, 'the rollup to stake on');
    if (!stakingAssetAddress) throw missingSetting(l1ConfigMappings.stakingAssetAddress, 'the stake is paid in it');
    await depositValidator(c, { rollup: rollupAddress, stakingAsset: stakingAssetAddress }, v);
  } else {
    if (own.withdrawer) {
      throw new ConfigError([
        { flag: '--withdrawer', message: '--withdrawer applies only with --direct: the handler sets its own' },
      ]);
    }
    if (!stakingAssetHandlerAddress) {
      throw missingSetting(
        l1ConfigMappings.stakingAssetHandlerAddress,
        'it mints and deposits the stake (or use --direct)',
      );
    }
    await addValidatorThroughHandler(c, { stakingAssetHandler: stakingAssetHandlerAddress }, v);
  }
  createLogger('add-l1-validator').info('Validator staked', {
    ...v,
    through: own.direct ? 'deposit' : 'handler',
  });
  ctx.stdout(`Staked validator ${v.attester} (proposer ${v.proposer})\n`);
});
