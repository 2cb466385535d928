import { createLogger } from '../../../foundation/log/index.js';
import { createL1PublicClient } from '../../../l1/clients.js';
import type { AztecConfig } from '../../../node/config.js';
import { startLocalNetwork as startNetwork, type LocalNetwork } from '../../../node/local-network.js';
import { SlotTicker } from '../../../node/slot-ticker.js';
import { waitForShutdownSignal } from '../../signals.js';
import type { CliContext } from '../../types.js';

/** The summary an operator sees once the local network is up. */
export function localNetworkSummary(net: LocalNetwork): string {
  const a = net.deployment.addresses;
  const lines = [
    '',
    'Local network is up.',
    `  L1 RPC (anvil):   ${net.anvil.url}   chain id ${net.deployment.l1ChainId}, pid ${net.anvil.pid}`,
    `  Rollup deployed in L1 block ${net.deployment.deploymentBlock}`,
    '',
    'L1 contracts:',
    ...Object.entries(a).map(([name, address]) => `  ${name.padEnd(20)} ${address}`),
    '',
    `Validator set (${net.validators.length}, staked at genesis; attester = proposer = withdrawer):`,
    ...net.validators.map(v => `  ${v.attester}   anvil account #${v.accountIndex}`),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  return lines.join('\n');
}

/** `aztec start --local-network`: runs until SIGINT/SIGTERM, then stops everything it started. */
export async function startLocalNetwork(config: AztecConfig, validators: number, ctx: CliContext): Promise<void> {
  const log = createLogger('local-network');
  const net = await startNetwork(config.l1, { validators, logger: log });
  const ticker = new SlotTicker(
    createL1PublicClient({ rpcUrls: [net.anvil.url], chainId: net.anvil.chainId }),
    net.deployment.addresses.rollup,
  );
  try {
    ctx.stdout(localNetworkSummary(net));
    ticker.start();
    const signal = await waitForShutdownSignal();
    log.info('Stopping the local network', { signal });
  } finally {
    await ticker.stop();
    await net.stop();
  }
}
