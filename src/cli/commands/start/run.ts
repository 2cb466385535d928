import { createLogger } from '../../../foundation/log/index.js';
import { startAztecNode } from '../../../node/aztec-node.js';
import { createP2PBootstrap } from '../../../p2p/factory.js';
import type { AztecConfig } from '../../../node/config.js';
import { waitForShutdownSignal } from '../../signals.js';
import type { StartModules } from './modules.js';

/** `aztec start` with modules chosen by flags: runs them until SIGINT/SIGTERM, then stops them in reverse. */
export async function runStart(config: AztecConfig, modules: StartModules): Promise<void> {
  if (modules.p2pBootstrap) return runBootnode(config);
  const node = await startAztecNode(config, {
    node: modules.node,
    archiver: modules.archiver,
    sequencer: modules.sequencer,
    proverNode: modules.proverNode,
  });
  const log = createLogger('node');
  try {
    const signal = await waitForShutdownSignal();
    log.info('Stopping', { signal });
  } finally {
    await node.stop();
  }
}

/** `aztec start --p2p-bootstrap`: a bootnode serving discovery only; prints its ENR for BOOTSTRAP_NODES. */
async function runBootnode(config: AztecConfig): Promise<void> {
  const log = createLogger('bootnode');
  const bootnode = createP2PBootstrap({ config: config.p2p, dataDirectory: config.node.dataDirectory });
  await bootnode.start();
  try {
    process.stdout.write(`Bootnode ENR (give it to nodes as BOOTSTRAP_NODES):\n${bootnode.getEnr()}\n`);
    const signal = await waitForShutdownSignal();
    log.info('Stopping', { signal });
  } finally {
    await bootnode.stop();
  }
}
