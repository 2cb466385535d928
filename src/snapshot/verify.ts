import type { Hex } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import type { KvStore } from '../kv/index.js';
import { frToHex, type Fr } from '../types/fr.js';
import type { AppendOnlyTreeSnapshot } from '../types/header.js';
import { headerHash } from '../types/header-codec.js';
import { SnapshotCheckError } from './errors.js';
import { openChain, storeFacts } from './facts.js';
import type { SnapshotIndex } from './format.js';

/** What the checks ask L1. */
export interface SnapshotL1 {
  /** The Rollup's archive root after block `n` (`archiveAt(n)`), zero when L1 has no such block. */
  archiveAt(n: bigint): Promise<Hex>;
}

/**
 * The checks a downloaded snapshot's store passes before a node uses it (its files' sha256 are checked while they
 * download). In order, each throwing `SnapshotCheckError` with its name:
 * - `index`: the store's tip is the index's block n, its world state is at n, its roots are the index's;
 * - `tree-nodes`: every node of the five trees, at every kept version, is the hash of its children (and each
 *   indexed-tree leaf the hash of its preimage): a changed leaf or inner node cannot hide behind a good root;
 * - `l1-archive`: the archive root at n is L1's `archiveAt(n)`;
 * - `world-state-roots`: at every block whose state the store keeps, the trees' roots and sizes are those of the
 *   block's header, and the archive root that of the block;
 * - `archive-leaves`: for every block 1..n, the hash of its stored header is leaf i of the archive tree (whose root
 *   L1 vouches for), so every stored header is the one L1 accepted.
 */
export async function verifySnapshotStore(
  store: KvStore,
  index: SnapshotIndex,
  l1: SnapshotL1,
  log: Logger = createLogger('snapshot'),
): Promise<void> {
  const n = BigInt(index.blockNumber);
  const facts = storeFacts(store);
  const { archiver, worldState } = openChain(store);
  if (facts.blockNumber !== index.blockNumber || facts.worldStateBlockNumber !== index.blockNumber) {
    throw new SnapshotCheckError(
      'index',
      `the index says block ${index.blockNumber}, the data holds blocks up to ${facts.blockNumber} with world state ` +
        `at ${facts.worldStateBlockNumber}`,
    );
  }
  for (const [name, root] of Object.entries({ archive: facts.archiveRoot, ...facts.stateRoots })) {
    const claimed = name === 'archive' ? index.archiveRoot : index.stateRoots[name as keyof typeof index.stateRoots];
    if (claimed !== root) {
      throw new SnapshotCheckError('index', `the index's ${name} root ${claimed} is not the data's ${root}`);
    }
  }
  log.info('Snapshot check passed', { check: 'index', blockNumber: index.blockNumber });

  try {
    const entries = worldState.checkIntegrity();
    log.info('Snapshot check passed', { check: 'tree-nodes', entries });
  } catch (err) {
    throw new SnapshotCheckError('tree-nodes', errorMessage(err), {}, { cause: err });
  }

  let onL1: Hex;
  try {
    onL1 = await l1.archiveAt(n);
  } catch (err) {
    throw new SnapshotCheckError('l1-archive', `cannot read archiveAt(${n}) from L1: ${errorMessage(err)}`);
  }
  if (onL1.toLowerCase() !== facts.archiveRoot || archiver.getArchiveRoot(n) !== worldState.getRoot('archive', n)) {
    throw new SnapshotCheckError(
      'l1-archive',
      `the archive root at block ${n} is ${facts.archiveRoot}, but the Rollup's archiveAt(${n}) is ${onL1}`,
    );
  }
  log.info('Snapshot check passed', { check: 'l1-archive', blockNumber: index.blockNumber, archiveRoot: onL1 });

  const oldest = worldState.getOldestBlockNumber();
  const first = oldest > 1n ? oldest : 1n;
  for (let v = first; v <= n; v++) {
    const block = archiver.getBlock(v);
    if (block === undefined) throw new SnapshotCheckError('world-state-roots', `block ${v} is missing`);
    const s = block.header.state;
    const expect: [
      string,
      AppendOnlyTreeSnapshot,
      'noteHash' | 'nullifier' | 'publicData' | 'l1ToL2Message' | 'archive',
    ][] = [
      ['note hash', s.noteHashTree, 'noteHash'],
      ['nullifier', s.nullifierTree, 'nullifier'],
      ['public data', s.publicDataTree, 'publicData'],
      ['L1 to L2 message', s.l1ToL2MessageTree, 'l1ToL2Message'],
      ['archive', block.archive, 'archive'],
    ];
    for (const [name, snap, tree] of expect) {
      const root = worldState.getRoot(tree, v);
      const size = worldState.getSize(tree, v);
      if (root !== snap.root || size !== BigInt(snap.nextAvailableLeafIndex)) {
        throw new SnapshotCheckError(
          'world-state-roots',
          `at block ${v} the ${name} tree is ${frToHex(root)} with ${size} leaves, but block ${v}'s header says ` +
            `${frToHex(snap.root)} with ${snap.nextAvailableLeafIndex}`,
          { blockNumber: Number(v), tree },
        );
      }
    }
  }
  log.info('Snapshot check passed', {
    check: 'world-state-roots',
    fromBlock: Number(first),
    toBlock: index.blockNumber,
  });

  if (worldState.getSize('archive', n) !== n + 1n) {
    throw new SnapshotCheckError('archive-leaves', `the archive tree at block ${n} does not have ${n + 1n} leaves`);
  }
  for (let i = 1n; i <= n; i++) {
    const header = archiver.getBlockHeader(i);
    const hash: Fr | undefined = header && headerHash(header);
    if (
      header === undefined ||
      hash !== worldState.getLeaf('archive', i, n) ||
      hash !== archiver.getBlockHash(i) ||
      header.globalVariables.blockNumber !== i
    ) {
      throw new SnapshotCheckError(
        'archive-leaves',
        `block ${i}'s stored header does not hash to leaf ${i} of the archive tree`,
        { blockNumber: Number(i) },
      );
    }
  }
  log.info('Snapshot check passed', { check: 'archive-leaves', blocks: index.blockNumber });
}
