import { sha256ToField } from '../foundation/crypto/index.js';
import { MerkleError } from './errors.js';
import type { VersionedTreeStore } from './versioned-store.js';
import { CommittedView } from './views.js';

/**
 * Rehashes every node a tree stores, at every kept version: each inner node must be the hash of its two children
 * as of the same version, and (indexed trees, `leafHash` given) each leaf node the hash of its preimage, and each
 * preimage's leaf node its hash. A store copied from elsewhere (a snapshot) whose roots match can still hold a
 * changed leaf or inner node that only a lookup would reveal: this finds it. Throws `MERKLE_CORRUPT` naming the
 * first bad entry; returns how many entries it checked.
 */
export function checkStoredNodes(store: VersionedTreeStore, leafHash?: (preimage: Buffer) => Buffer): number {
  const views = new Map<number, CommittedView>();
  // An entry older than the oldest kept version survived pruning because it is still the value as of that version;
  // versions before it are no longer readable (their sizes are gone), so it is checked as of the oldest.
  const oldest = store.oldest() ?? 0;
  const viewAt = (written: number) => {
    const version = Math.max(written, oldest);
    let view = views.get(version);
    if (view === undefined) {
      view = new CommittedView(store, version);
      views.set(version, view);
    }
    return view;
  };
  const corrupt = (what: string, context: Record<string, unknown>) =>
    new MerkleError('MERKLE_CORRUPT', `Tree "${store.name}": ${what}`, { tree: store.name, ...context });
  let checked = 0;
  for (const { level, index, version, hash } of store.nodeEntries()) {
    const view = viewAt(version);
    let expected: Buffer | undefined;
    if (level > 0) {
      expected = sha256ToField(view.node(level - 1, 2 * index), view.node(level - 1, 2 * index + 1));
    } else if (leafHash !== undefined) {
      const preimage = view.leaf(index);
      expected = preimage === undefined ? undefined : leafHash(preimage);
    }
    if (level > 0 || leafHash !== undefined) {
      if (expected === undefined || !expected.equals(hash)) {
        throw corrupt(
          `the node at level ${level}, index ${index} (version ${version}) is not the hash of what is below it`,
          {
            level,
            index,
            version,
          },
        );
      }
    }
    checked++;
  }
  if (leafHash !== undefined) {
    for (const { index, version, preimage } of store.leafEntries()) {
      const node = viewAt(version).node(0, index);
      if (!leafHash(preimage).equals(node)) {
        throw corrupt(`the leaf preimage at index ${index} (version ${version}) does not hash to its leaf node`, {
          index,
          version,
        });
      }
      checked++;
    }
  }
  return checked;
}
