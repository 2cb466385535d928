import { ConfigError, defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { createLogger } from '../../../foundation/log/index.js';
import { l1ConfigMappings } from '../../../l1/config.js';
import { validatorConfigMappings } from '../../../validator/config.js';
import { loadKeystore } from '../../../validator/keystore/index.js';
import { checkL1ChainId } from '../../../l1/chain-check.js';
import { createL1PublicClient, createL1WalletClient } from '../../../l1/clients.js';
import type { Address } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

import type { Logger } from '../../../foundation/log/index.js';
import type { L1PublicClient } from '../../../l1/clients.js';
import { RollupContract, StakingAssetHandlerContract } from '../../../l1/contracts/index.js';
import {
  addValidatorThroughHandler,
  addValidatorWithSyncProof,
  depositValidator,
  type SyncProof,
  type ValidatorRegistration,
} from '../../../l1/validators.js';
import { HOW_TO_PROVE, SyncProofError, parseArchivePath, syncProofFromNode } from './sync-proof.js';
import { configCommand, missingSetting, type CommandSpec } from '../../command-config.js';

const addValidatorMappings = defineConfigMappings({
  keystore: {
    ...validatorConfigMappings.keyStoreDirectory,
    description:
      'Stake every validator of this keystore (file or folder) instead of one --attester: each with its first ' +
      'publisher as proposer (else its attester). Through the handler, its rate limit applies to each one.',
  },
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
  nodeUrl: {
    flag: '--node-url',
    env: 'AZTEC_NODE_URL',
    parse: p.url(),
    description:
      'JSON-RPC URL of your synced node: the sync proof the handler asks for is read from it ' +
      '(node_getL2Tips, then node_getArchiveSiblingPath).',
  },
  blockNumber: {
    flag: '--block-number',
    parse: p.integer({ min: 1 }),
    description: 'With --archive-sibling-path: the block of a sync proof you fetched yourself (the guide’s curls).',
  },
  archiveSiblingPath: {
    flag: '--archive-sibling-path',
    parse: p.text('<base64>', 'AAAAAA=='),
    description: 'With --block-number: node_getArchiveSiblingPath [n, n]’s result, the base64 string.',
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
    'Stakes a validator on the rollup: through the staking asset handler (it mints the stake; rate limited; on ' +
    'public networks it asks for a proof that your node is synced, read with --node-url), ' +
    "or with --direct from the sender's own staking asset.",
  mappings: addValidatorMappings,
};

/**
 * The sync proof to register with, when one is given (`--node-url`, or `--block-number` with
 * `--archive-sibling-path`); none when none is given and the handler does not ask for one. A handler that asks for
 * one and gets none is refused here, saying how to get it, rather than by the handler's revert.
 */
async function syncProof(
  own: { nodeUrl?: string | undefined; blockNumber?: number | undefined; archiveSiblingPath?: string | undefined },
  handlerAddress: Address,
  client: L1PublicClient,
  log: Logger,
): Promise<SyncProof | undefined> {
  if ((own.blockNumber === undefined) !== (own.archiveSiblingPath === undefined)) {
    const [given, missing] =
      own.blockNumber === undefined
        ? ['--archive-sibling-path', '--block-number']
        : ['--block-number', '--archive-sibling-path'];
    throw new ConfigError([{ flag: missing, message: `${given} needs ${missing} too: they are one proof` }]);
  }
  if (own.blockNumber !== undefined && own.archiveSiblingPath !== undefined) {
    return { blockNumber: BigInt(own.blockNumber), archivePath: parseArchivePath(own.archiveSiblingPath) };
  }
  const handler = new StakingAssetHandlerContract(client, handlerAddress);
  if (own.nodeUrl === undefined) {
    if (!(await handler.requiresSyncProof())) return undefined;
    throw new SyncProofError(
      `The staking asset handler at ${handlerAddress} registers only validators whose node proves it is synced: ` +
        HOW_TO_PROVE,
    );
  }
  const rollup = new RollupContract(client, await handler.rollup());
  const [{ pending }, recencyWindow] = await Promise.all([rollup.getTips(), handler.recencyWindow()]);
  const proof = await syncProofFromNode(own.nodeUrl, { pendingBlockNumber: pending, recencyWindow }, log);
  log.info('Sync proof read from the node', { nodeUrl: own.nodeUrl, blockNumber: proof.blockNumber });
  return proof;
}

/** The validators to stake: the keystore's (each with its first publisher as proposer), or `--attester`'s one. */
async function registrations(own: {
  keystore?: string | undefined;
  attester?: Address | undefined;
  proposer?: Address | undefined;
  withdrawer?: Address | undefined;
}): Promise<ValidatorRegistration[]> {
  if (own.keystore === undefined) {
    if (!own.attester) throw missingSetting(addValidatorMappings.attester, 'the validator to stake (or --keystore)');
    return [
      { attester: own.attester, proposer: own.proposer ?? own.attester, withdrawer: own.withdrawer ?? own.attester },
    ];
  }
  if (own.attester || own.proposer) {
    throw new ConfigError([
      {
        flag: '--keystore',
        message: '--keystore names its attesters and proposers: leave out --attester and --proposer',
      },
    ]);
  }
  return (await loadKeystore(own.keystore)).map(v => {
    const first = v.publisherPrivateKeys[0];
    return {
      attester: v.attester,
      proposer: first ? privateKeyToAddress(first) : v.attester,
      withdrawer: own.withdrawer ?? v.attester,
    };
  });
}

/** `aztec add-l1-validator`. */
export const addL1ValidatorCommand = configCommand(spec, async ({ own, config }, ctx) => {
  const validators = await registrations(own);
  if (!own.privateKey) throw missingSetting(addValidatorMappings.privateKey, 'someone sends the L1 transaction');
  const log = createLogger('add-l1-validator');
  const { rollupAddress, stakingAssetAddress, stakingAssetHandlerAddress } = config.l1;
  const opts = { rpcUrls: config.l1.l1RpcUrls, chainId: config.l1.l1ChainId };
  await checkL1ChainId(opts.rpcUrls, opts.chainId);
  const c = {
    publicClient: createL1PublicClient(opts),
    walletClient: createL1WalletClient(opts, own.privateKey),
  };
  if (!own.direct && own.withdrawer) {
    throw new ConfigError([
      { flag: '--withdrawer', message: '--withdrawer applies only with --direct: the handler sets its own' },
    ]);
  }
  // One sync proof for all of them: the handler checks it against a recent block.
  let proof: SyncProof | undefined;
  if (!own.direct && stakingAssetHandlerAddress) {
    proof = await syncProof(own, stakingAssetHandlerAddress, c.publicClient, log);
  }
  for (const v of validators) {
    await stake(v);
    log.info('Validator staked', { ...v, through: own.direct ? 'deposit' : 'handler' });
    ctx.stdout(`Staked validator ${v.attester} (proposer ${v.proposer})\n`);
  }

  async function stake(v: ValidatorRegistration): Promise<void> {
    if (own.direct) {
      if (!rollupAddress) throw missingSetting(l1ConfigMappings.rollupAddress, 'the rollup to stake on');
      if (!stakingAssetAddress) throw missingSetting(l1ConfigMappings.stakingAssetAddress, 'the stake is paid in it');
      await depositValidator(c, { rollup: rollupAddress, stakingAsset: stakingAssetAddress }, v);
    } else {
      if (!stakingAssetHandlerAddress) {
        throw missingSetting(
          l1ConfigMappings.stakingAssetHandlerAddress,
          'it mints and deposits the stake (or use --direct)',
        );
      }
      const addresses = { stakingAssetHandler: stakingAssetHandlerAddress };
      if (proof) await addValidatorWithSyncProof(c, addresses, v, proof);
      else await addValidatorThroughHandler(c, addresses, v);
    }
  }
});
