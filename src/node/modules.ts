import type { ConfigIssue } from '../foundation/config/index.js';

/** Which modules `aztec start` runs in this process (the P2P module is `P2P_ENABLED` / `--p2p-enabled`). */
export interface NodeModules {
  /** World state, tx pool and the `node_` JSON-RPC API (`--node`). */
  node: boolean;
  /** Syncs L2 blocks and messages from L1 (`--archiver`). */
  archiver: boolean;
  /** Proposes blocks in this validator's slots (`--sequencer`). */
  sequencer: boolean;
  /** Proves each ended epoch (`--prover-node`). */
  proverNode: boolean;
}

/**
 * The module combinations that cannot work, each as an issue naming the flag: the sequencer builds on the node's
 * world state and pool; the node and the prover read the chain the archiver syncs; P2P gossips the node's txs and
 * blocks. Empty when the combination can run.
 */
export function moduleProblems(modules: NodeModules, p2pEnabled: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (modules.sequencer && !modules.node) {
    issues.push({
      flag: '--sequencer',
      message:
        '--sequencer needs --node: the sequencer builds blocks on the node’s world state from the node’s tx pool ' +
        '(start with --archiver --node --sequencer)',
    });
  }
  if (modules.node && !modules.archiver) {
    issues.push({
      flag: '--node',
      message:
        '--node needs --archiver: the node serves the blocks its archiver syncs from L1 (start with --archiver --node)',
    });
  }
  if (modules.proverNode && !modules.archiver) {
    issues.push({
      flag: '--prover-node',
      message: '--prover-node needs --archiver: it proves the blocks the archiver syncs from L1',
    });
  }
  if (p2pEnabled && !modules.node) {
    issues.push({
      flag: '--p2p-enabled',
      env: 'P2P_ENABLED',
      message:
        '--p2p-enabled (P2P_ENABLED) needs --node: P2P gossips the node’s txs, proposals and attestations ' +
        '(add --node, or set P2P_ENABLED=false)',
    });
  }
  return issues;
}
