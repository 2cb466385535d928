import { privateKeyToAddress } from 'viem/accounts';

import { ConfigError } from '../../../foundation/config/index.js';
import { createLogger, type Logger } from '../../../foundation/log/index.js';
import { devAccount } from '../../../l1/dev-accounts.js';
import { startAztecNode, type RunningNode } from '../../../node/aztec-node.js';
import type { AztecConfig } from '../../../node/config.js';
import { startLocalNetwork as startNetwork, type LocalNetwork } from '../../../node/local-network.js';
import { resolveNodeValidators } from '../../../node/validator-keys.js';
import { waitForShutdownSignal } from '../../signals.js';
import { runMultiValidatorNetwork } from './multi-validator.js';
import type { CliContext } from '../../types.js';

/** The summary an operator sees once the local network is up. */
export function localNetworkSummary(net: LocalNetwork, rpcUrl: string): string {
  const a = net.deployment.addresses;
  const lines = [
    '',
    'Local network is up.',
    `  L1 RPC (anvil):   ${net.anvil.url}   chain id ${net.deployment.l1ChainId}, pid ${net.anvil.pid}`,
    `  Rollup deployed in L1 block ${net.deployment.deploymentBlock}`,
    `  Node JSON-RPC:     ${rpcUrl}`,
    '',
    'L1 contracts:',
    ...Object.entries(a).map(([name, address]) => `  ${name.padEnd(20)} ${address}`),
    '',
    ...(net.validators.length > 0
      ? [
          `Validator set (${net.validators.length}, staked at genesis; attester = proposer = withdrawer):`,
          ...net.validators.map(v => `  ${v.attester}   anvil account #${v.accountIndex}`),
        ]
      : [
          `Validator set (${net.genesis.length}, from the keystore, staked at genesis; all run by this node):`,
          ...net.genesis.map(v => `  ${v.attester}   proposer ${v.proposer}`),
        ]),
    '',
    'A second node can follow this network with:',
    `  aztec start --network local --l1-rpc-urls ${net.anvil.url} --l1-consensus-host-url ${net.anvil.url} \\`,
    `    --archiver --node --port 8081 --admin-port 8881`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  return lines.join('\n');
}

/**
 * `aztec start --local-network`: an L1, the contracts, and one node running every module (archiver, world state,
 * API, sequencer with the first genesis validator's key, prover) until SIGINT/SIGTERM; then stops all of it. With
 * `--keystore`, every validator of the keystore is staked at genesis (its first publisher as its proposer, given
 * ETH) and the one node runs them all.
 */
export async function startLocalNetwork(config: AztecConfig, validators: number, ctx: CliContext): Promise<void> {
  const log = createLogger('local-network');
  if (config.validator.keyStoreDirectory !== undefined) {
    if (validators > 1) {
      throw new ConfigError([
        {
          flag: '--validators',
          message: '--validators and --keystore both choose the genesis validators: give one',
        },
      ]);
    }
    return startKeystoreNetwork(config, ctx, log);
  }
  // One validator: slot 0 starts a slot after the deployment, time enough for the in-process node to start and
  // propose block 1 in it. Several: the validators' processes take longer than a slot to start, so their network
  // starts at its deployment and they begin with the slot they are up for.
  const net = await startNetwork(config.l1, {
    validators,
    logger: log,
    ...(validators > 1 ? { genesisDelaySeconds: 0 } : {}),
  });
  if (validators > 1) {
    // One process per validator, talking over P2P (each holds one key).
    try {
      ctx.stdout(
        localNetworkSummary(net, `http://127.0.0.1:${config.node.port}`).replace('Press Ctrl-C to stop.\n', ''),
      );
      await runMultiValidatorNetwork(config, net, ctx);
    } finally {
      await net.stop();
    }
    return;
  }
  await runUntilSignal(config, net, ctx, log);
}

/** The local network of a keystore: its validators staked at genesis, all in the one in-process node. */
async function startKeystoreNetwork(config: AztecConfig, ctx: CliContext, log: Logger): Promise<void> {
  const keys = await resolveNodeValidators(config);
  const net = await startNetwork(config.l1, {
    validators: keys.length,
    keystoreValidators: keys.map(v => ({
      attester: v.attester,
      proposer: privateKeyToAddress(v.publisherPrivateKeys[0]!),
    })),
    logger: log,
  });
  await runUntilSignal(config, net, ctx, log);
}

/** The one in-process node on `net`, until Ctrl-C (or SIGTERM); then the node, then the L1. */
async function runUntilSignal(config: AztecConfig, net: LocalNetwork, ctx: CliContext, log: Logger): Promise<void> {
  let node: RunningNode | undefined;
  try {
    node = await startAztecNode(localNodeConfig(config, net), LOCAL_MODULES, {
      l1Addresses: net.deployment.addresses,
    });
    ctx.stdout(localNetworkSummary(net, node.rpcUrl));
    const signal = await waitForShutdownSignal();
    log.info('Stopping the local network', { signal });
  } finally {
    await node?.stop();
    await net.stop();
  }
}

const LOCAL_MODULES = { node: true, archiver: true, sequencer: true, proverNode: true };

/** The in-process node's config: the given one, on the local L1, with development keys where none were given. */
export function localNodeConfig(config: AztecConfig, net: LocalNetwork): AztecConfig {
  const a = net.deployment.addresses;
  return {
    ...config,
    l1: {
      ...config.l1,
      l1RpcUrls: [net.anvil.url],
      registryAddress: a.registry,
      rollupAddress: a.rollup,
      feeJuicePortalAddress: a.feeJuicePortal,
      governanceProposerAddress: a.governanceProposer,
      stakingAssetHandlerAddress: a.stakingAssetHandler,
    },
    validator: {
      ...config.validator,
      // The local network's L1 lives in memory and starts anew every time: a slashing protection history cannot
      // outlive its chain, so the node signs without a data directory (VALIDATOR_ALLOW_EPHEMERAL_SIGNING_PROTECTION).
      allowEphemeralSigningProtection: true,
      // A keystore brings its own keys; otherwise the first genesis validator's.
      validatorPrivateKey:
        config.validator.keyStoreDirectory !== undefined
          ? undefined
          : (config.validator.validatorPrivateKey ?? devAccount(net.validators[0]?.accountIndex ?? 1).privateKey),
    },
    prover: {
      ...config.prover,
      publisherPrivateKey: config.prover.publisherPrivateKey ?? devAccount(PROVER_ACCOUNT).privateKey,
    },
  };
}

/** Anvil account that publishes the local network's epoch proofs. */
const PROVER_ACCOUNT = 9;
