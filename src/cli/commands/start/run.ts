import { NodeError } from '../../../foundation/errors/index.js';
import { createLogger } from '../../../foundation/log/index.js';
import { startAztecNode } from '../../../node/aztec-node.js';
import type { AztecConfig } from '../../../node/config.js';
import { waitForShutdownSignal } from '../../signals.js';
import type { StartModules } from './modules.js';

/** `aztec start` with modules chosen by flags: runs them until SIGINT/SIGTERM, then stops them in reverse. */
export async function runStart(config: AztecConfig, modules: StartModules): Promise<void> {
  if (modules.p2pBootstrap) {
    throw new NodeError('MODULE_NOT_AVAILABLE', 'aztec start: --p2p-bootstrap is not available yet in this build.', {
      modules: ['--p2p-bootstrap'],
    });
  }
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
