import { afterEach, describe, expect, it } from 'vitest';

import { computeRootFromPath } from '../foundation/crypto/index.js';
import { nullifierLeafType, publicDataLeafType, type NullifierLeaf, type PublicDataLeaf } from '../merkle/index.js';
import { StoreFixture } from '../merkle/testing/helpers.js';
import { frFromBuffer, frToBuffer, type Fr } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { buildTestBlock } from './testing/blocks.js';
import { testChain } from './testing/chain.js';
import { createWorldState } from './world-state.js';
import { L1_TO_L2_MSGS_PER_BLOCK, TREE_IDS, type IndexedLeafWitness, type WorldState } from './types.js';

const fx = new StoreFixture();
afterEach(() => fx.cleanup());

const code = (c: string) => expect.objectContaining({ code: c }) as Error;
const roots = (ws: WorldState, at?: bigint) => TREE_IDS.map(tree => ws.getRoot(tree, at));
const verifies = (leaf: bigint, w: IndexedLeafWitness | { index: bigint; siblingPath: Buffer[] }, root: Fr) =>
  frFromBuffer(computeRootFromPath(frToBuffer(leaf as Fr), w.index, w.siblingPath)) === root;

describe('world state history', () => {
  it('serves archive sibling paths as of block n: leaf n is the header hash of block n', async () => {
    const seq = testChain(await fx.temp(), 11);
    for (let i = 0; i < 8; i++) seq.next();
    const ws = seq.worldState;
    for (const { block } of seq.blocks) {
      const n = block.header.globalVariables.blockNumber;
      const leaf = headerHash(block.header);
      expect(ws.getLeaf('archive', n, n)).toBe(leaf);
      expect(ws.findLeafIndex('archive', leaf)).toBe(n);
      expect(ws.findLeafIndex('archive', leaf, n - 1n)).toBeUndefined();
      // node_getArchiveSiblingPath(n, n): verifies on L1 against archiveAt(n).
      const path = ws.getSiblingPath('archive', n, n);
      expect(path).toHaveLength(29);
      expect(ws.getRoot('archive', n)).toBe(block.archive.root);
      expect(verifies(leaf, { index: n, siblingPath: path }, block.archive.root)).toBe(true);
      // ...and against the latest root with the latest path.
      expect(verifies(leaf, { index: n, siblingPath: ws.getSiblingPath('archive', n) }, ws.getRoot('archive'))).toBe(
        true,
      );
      expect(block.header.lastArchive.root).toBe(ws.getRoot('archive', n - 1n));
    }
  });

  it('keeps the last N blocks and says so beyond them', async () => {
    const seq = testChain(await fx.temp(), 12, 64);
    for (let i = 0; i < 70; i++) seq.next(0, 0);
    const ws = seq.worldState;
    expect(ws.getBlockNumber()).toBe(70n);
    expect(ws.getOldestBlockNumber()).toBe(7n);
    expect(ws.getRoot('archive', 7n)).toBe(seq.blocks[6]!.block.archive.root);
    const path = ws.getSiblingPath('archive', 7n, 7n);
    expect(
      verifies(headerHash(seq.blocks[6]!.block.header), { index: 7n, siblingPath: path }, ws.getRoot('archive', 7n)),
    ).toBe(true);
    expect(() => ws.getSiblingPath('archive', 6n, 6n)).toThrow(/keeps the last 64 blocks/);
    expect(() => ws.getRoot('noteHash', 6n)).toThrow(code('BLOCK_NOT_AVAILABLE'));
    expect(() => ws.getRoot('noteHash', 71n)).toThrow(code('BLOCK_NOT_AVAILABLE'));
    expect(() => ws.getPublicStorageAt(1n as Fr, 0n)).toThrow(code('BLOCK_NOT_AVAILABLE'));
    expect(() => ws.unwindTo(6n)).toThrow(code('BLOCK_NOT_AVAILABLE'));
    ws.unwindTo(7n);
    expect(ws.getBlockNumber()).toBe(7n);
    expect(ws.getRoot('archive')).toBe(seq.blocks[6]!.block.archive.root);
  });

  it('unwinds to block n and reapplies the same blocks to the same roots', async () => {
    const store = await fx.temp();
    const seq = testChain(store, 13);
    for (let i = 0; i < 6; i++) seq.next(2, 3);
    const ws = seq.worldState;
    const rootsAt = [0n, 1n, 2n, 3n, 4n, 5n, 6n].map(n => roots(ws, n));
    const later = seq.blocks[4]!.block.body; // block 5
    const nullifier = later[0]!.nullifiers[0]!;
    const message = seq.blocks[4]!.messages[0]!;
    expect(ws.getNullifierWitness(nullifier)).toBeDefined();
    expect(ws.findLeafIndex('l1ToL2Message', message)).toBe(4n * BigInt(L1_TO_L2_MSGS_PER_BLOCK));

    // An unwind inside a transaction that then fails changes nothing.
    expect(() =>
      store.transactionSync(() => {
        ws.unwindTo(3n);
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    expect(ws.getBlockNumber()).toBe(6n);

    ws.unwindTo(3n);
    expect(ws.getBlockNumber()).toBe(3n);
    expect(roots(ws)).toEqual(rootsAt[3]);
    expect(() => ws.getRoot('archive', 4n)).toThrow(code('BLOCK_NOT_AVAILABLE'));
    expect(ws.getNullifierWitness(nullifier)).toBeUndefined();
    expect(ws.findLeafIndex('l1ToL2Message', message)).toBeUndefined();
    expect(ws.findLeafIndex('archive', headerHash(seq.blocks[3]!.block.header))).toBeUndefined();
    ws.unwindTo(5n); // no-op above the tip

    for (const { block, messages } of seq.blocks.slice(3)) {
      ws.prepareBlock(block, messages).commitSync(block.header.globalVariables.blockNumber);
    }
    expect([0n, 1n, 2n, 3n, 4n, 5n, 6n].map(n => roots(ws, n))).toEqual(rootsAt);
    expect(ws.findLeafIndex('l1ToL2Message', message)).toBe(64n);
    expect(ws.getNullifierWitness(nullifier, 5n)).toBeDefined();
  });

  it('serves nullifier and public data witnesses and values as of a block', async () => {
    const seq = testChain(await fx.temp(), 14);
    const ws = seq.worldState;
    const slot = seq.fresh.field();
    const write = (value: bigint) => {
      const effects = seq.fresh.effects(1);
      effects[0]!.publicDataWrites = [{ leafSlot: slot, value: value as Fr }];
      const { block, fork } = buildTestBlock(ws, effects);
      fork.commitSync(block.header.globalVariables.blockNumber);
      return effects[0]!.nullifiers[0]!;
    };
    const n1 = write(100n); // block 1
    seq.next(1); // block 2
    write(200n); // block 3
    expect([0n, 1n, 2n, 3n].map(b => ws.getPublicStorageAt(slot, b))).toEqual([0n, 100n, 100n, 200n]);
    expect(ws.getPublicStorageAt(slot)).toBe(200n);

    for (const [block, value] of [
      [1n, 100n],
      [3n, 200n],
    ] as const) {
      const w = ws.getPublicDataWitness(slot, block);
      expect(w.leaf).toMatchObject({ slot, value });
      const hash = frFromBuffer(publicDataLeafType.hash(w.leaf as unknown as PublicDataLeaf));
      expect(ws.getLeaf('publicData', w.index, block)).toBe(hash);
      expect(verifies(hash, w, ws.getRoot('publicData', block))).toBe(true);
    }
    // Before the first write, the witness is the slot's low leaf.
    const low = ws.getPublicDataWitness(slot, 0n);
    expect(low.leaf['slot']).toBeLessThan(slot);

    const member = ws.getNullifierWitness(n1, 1n)!;
    expect(member.leaf['value']).toBe(n1);
    const memberHash = frFromBuffer(nullifierLeafType.hash(member.leaf as unknown as NullifierLeaf));
    expect(verifies(memberHash, member, ws.getRoot('nullifier', 1n))).toBe(true);
    expect(ws.getNullifierWitness(n1, 0n)).toBeUndefined();
    const absent = seq.fresh.field();
    const lowLeaf = ws.getNullifierLowLeafWitness(absent, 3n);
    const { value, nextValue } = lowLeaf.leaf as unknown as NullifierLeaf;
    expect(value).toBeLessThan(absent);
    expect(nextValue === 0n || nextValue > absent).toBe(true);
    const lowHash = frFromBuffer(nullifierLeafType.hash(lowLeaf.leaf as unknown as NullifierLeaf));
    expect(verifies(lowHash, lowLeaf, ws.getRoot('nullifier', 3n))).toBe(true);
  });

  it('finds note hashes and L1→L2 messages as of a block', async () => {
    const seq = testChain(await fx.temp(), 15);
    seq.next(1, 2);
    const { block, messages } = seq.next(0, 3);
    const hash = seq.fresh.field();
    const effects = seq.fresh.effects(1);
    effects[0]!.noteHashes = [hash];
    buildTestBlock(seq.worldState, effects).fork.commitSync(3n);
    const ws = seq.worldState;
    expect(ws.findLeafIndex('noteHash', hash, 2n)).toBeUndefined();
    const index = ws.findLeafIndex('noteHash', hash, 3n)!;
    expect(ws.getLeaf('noteHash', index)).toBe(hash);
    expect(block.header.globalVariables.blockNumber).toBe(2n);
    expect(ws.findLeafIndex('l1ToL2Message', messages[2]!)).toBe(16n + 2n);
    expect(ws.findLeafIndex('l1ToL2Message', messages[2]!, 1n)).toBeUndefined();
    expect(ws.getLeaf('l1ToL2Message', 18n, 2n)).toBe(messages[2]);
    expect(ws.getLeaf('l1ToL2Message', 19n, 2n)).toBe(0n);
    const path = ws.getSiblingPath('l1ToL2Message', 18n, 2n);
    expect(verifies(messages[2]!, { index: 18n, siblingPath: path }, block.header.state.l1ToL2MessageTree.root)).toBe(
      true,
    );
    const store = await fx.temp();
    expect(() => createWorldState({ store, blockHistory: 0 })).toThrow(code('BAD_OPTION'));
  });
});
