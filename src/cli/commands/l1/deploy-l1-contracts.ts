import { writeFileSync } from 'node:fs';

import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { createLogger } from '../../../foundation/log/index.js';
import type { L1Deployment } from '../../../l1/addresses.js';
import { checkL1ChainId } from '../../../l1/chain-check.js';
import { createL1PublicClient, createL1WalletClient } from '../../../l1/clients.js';
import { deployL1Contracts } from '../../../l1/deploy.js';
import { deployParamsFromConfig } from '../../../l1/deploy-params.js';
import { genesisArchiveRoot } from '../../../world-state/genesis.js';
import { configCommand, missingSetting, type CommandSpec } from '../../command-config.js';

const deployMappings = defineConfigMappings({
  privateKey: {
    env: 'L1_DEPLOYER_PRIVATE_KEY',
    flag: '--private-key',
    parse: p.privateKey,
    secret: true,
    description: 'Key of the funded L1 account that deploys and owns the contracts.',
  },
  out: {
    flag: '--out',
    parse: p.text('<file>', 'l1-contracts.json'),
    description: 'Write the addresses as JSON to this file instead of standard output.',
  },
  genesisValidators: {
    flag: '--genesis-validators',
    parse: p.addressList,
    description:
      'Validators staked at deployment (attester = proposer = withdrawer), in the committee from epoch 0; ' +
      'the deployer pays their stake.',
  },
  requireSyncProof: {
    flag: '--require-sync-proof',
    parse: p.boolean,
    default: false,
    description:
      'Make the staking asset handler register only validators that prove their node is synced (public networks).',
  },
});

const spec: CommandSpec<typeof deployMappings> = {
  name: 'deploy-l1-contracts',
  title: 'Deployment',
  summary: "Deploys the network's L1 contracts with the network preset's constants and prints their addresses as JSON.",
  mappings: deployMappings,
};

/** The JSON `deploy-l1-contracts` writes: addresses plus where syncing starts. */
export function deploymentJson(d: L1Deployment): string {
  return JSON.stringify(
    { l1ChainId: d.l1ChainId, deploymentBlock: d.deploymentBlock.toString(), ...d.addresses },
    null,
    2,
  );
}

/** `aztec deploy-l1-contracts`. */
export const deployL1ContractsCommand = configCommand(spec, async ({ own, config }, ctx) => {
  if (!own.privateKey) throw missingSetting(deployMappings.privateKey, 'the deployer pays for and owns the contracts');
  const log = createLogger('deploy');
  await checkL1ChainId(config.l1.l1RpcUrls, config.l1.l1ChainId);
  const opts = { rpcUrls: config.l1.l1RpcUrls, chainId: config.l1.l1ChainId };
  const validators = (own.genesisValidators ?? []).map(a => ({ attester: a, proposer: a, withdrawer: a }));
  const deployment = await deployL1Contracts(
    {
      publicClient: createL1PublicClient(opts),
      walletClient: createL1WalletClient(opts, own.privateKey),
      logger: log,
    },
    deployParamsFromConfig(config.l1, {
      genesisArchiveRoot: genesisArchiveRoot(),
      initialValidators: validators,
      requireSyncProof: own.requireSyncProof,
    }),
  );
  const json = deploymentJson(deployment);
  if (own.out) {
    writeFileSync(own.out, json + '\n');
    log.info('Wrote contract addresses', { file: own.out });
  } else {
    ctx.stdout(json + '\n');
  }
});
