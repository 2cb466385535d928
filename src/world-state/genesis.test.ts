import { afterEach, describe, expect, it } from 'vitest';

import { computeRootFromPath, sha256ToField, zeroHashes } from '../foundation/crypto/index.js';
import { StoreFixture } from '../merkle/testing/helpers.js';
import { frFromBuffer, frToBuffer, frToHex } from '../types/fr.js';
import { decodeHeader, encodeHeader, headerHash } from '../types/header-codec.js';
import {
  ARCHIVE_TREE_HEIGHT,
  HEADER_SIZE,
  genesisArchiveRoot,
  genesisArchiveSnapshot,
  genesisHeader,
  genesisHeaderHash,
  genesisStateReference,
} from './genesis.js';
import { TREE_HEIGHTS } from './types.js';
import { createWorldState } from './world-state.js';

const fx = new StoreFixture();
afterEach(() => fx.cleanup());

describe('genesis', () => {
  it('is the all-zero header over the empty archive and the prefilled genesis trees', () => {
    const header = genesisHeader();
    expect(ARCHIVE_TREE_HEIGHT).toBe(29);
    expect(header.lastArchive).toEqual({ root: frFromBuffer(zeroHashes(29)[29]!), nextAvailableLeafIndex: 0 });
    expect(header.state.noteHashTree).toEqual({ root: frFromBuffer(zeroHashes(40)[40]!), nextAvailableLeafIndex: 0 });
    expect(header.state.l1ToL2MessageTree.root).toBe(frFromBuffer(zeroHashes(39)[39]!));
    // The indexed trees hold one leaf {0, next 0, 0}: hashed as 3 (nullifier) or 4 (public data) zero words.
    const nullifierLeaf = sha256ToField(Buffer.alloc(96));
    const publicDataLeaf = sha256ToField(Buffer.alloc(128));
    const path = zeroHashes(40).slice(0, 40);
    expect(header.state.nullifierTree).toEqual({
      root: frFromBuffer(computeRootFromPath(nullifierLeaf, 0n, path)),
      nextAvailableLeafIndex: 1,
    });
    expect(header.state.publicDataTree.root).toBe(frFromBuffer(computeRootFromPath(publicDataLeaf, 0n, path)));
    expect(header.state.publicDataTree.nextAvailableLeafIndex).toBe(1);
    expect(header.globalVariables.blockNumber).toBe(0n);
    expect(header.totalFees).toBe(0n);

    const encoded = encodeHeader(header);
    expect(encoded.length).toBe(HEADER_SIZE);
    expect(decodeHeader(encoded)).toEqual(header);
    expect(genesisHeaderHash()).toEqual(sha256ToField(encoded));
    expect(frFromBuffer(genesisHeaderHash())).toBe(headerHash(header));
  });

  it('puts the genesis header hash at archive leaf 0; the root is the hex the deploy passes to L1', () => {
    const leaf = genesisHeaderHash();
    const root = computeRootFromPath(leaf, 0n, zeroHashes(29).slice(0, 29));
    expect(genesisArchiveSnapshot()).toEqual({ root: frFromBuffer(root), nextAvailableLeafIndex: 1 });
    expect(genesisArchiveRoot()).toBe(`0x${root.toString('hex')}`);
    expect(genesisArchiveRoot()).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('equals the roots of a fresh world state', async () => {
    const ws = createWorldState({ store: await fx.temp(), blockHistory: 64 });
    const state = genesisStateReference();
    expect(ws.getBlockNumber()).toBe(0n);
    expect(ws.getRoot('archive')).toBe(genesisArchiveSnapshot().root);
    expect(frToHex(ws.getRoot('archive', 0n))).toBe(genesisArchiveRoot());
    expect(ws.getLeaf('archive', 0n, 0n)).toBe(frFromBuffer(genesisHeaderHash()));
    expect(ws.getRoot('noteHash')).toBe(state.noteHashTree.root);
    expect(ws.getRoot('nullifier')).toBe(state.nullifierTree.root);
    expect(ws.getRoot('publicData')).toBe(state.publicDataTree.root);
    expect(ws.getRoot('l1ToL2Message')).toBe(state.l1ToL2MessageTree.root);
    const fork = ws.fork();
    expect(fork.getStateReference()).toEqual(state);
    expect(fork.getArchiveSnapshot()).toEqual(genesisArchiveSnapshot());
    fork.discard();
    // The genesis archive path (what node_getArchiveSiblingPath(0, 0) serves) verifies against archiveAt(0).
    const path = ws.getSiblingPath('archive', 0n, 0n);
    expect(path).toHaveLength(TREE_HEIGHTS.archive);
    expect(frToHex(frFromBuffer(computeRootFromPath(genesisHeaderHash(), 0n, path)))).toBe(genesisArchiveRoot());
    expect(ws.findLeafIndex('archive', frFromBuffer(genesisHeaderHash()))).toBe(0n);
    expect(frToBuffer(ws.getLeaf('nullifier', 0n))).toEqual(sha256ToField(Buffer.alloc(96)));
  });
});
