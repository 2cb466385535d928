import { afterEach, describe, expect, it } from 'vitest';

import { asL2BlockNumber } from '../foundation/types/branded.js';
import { StoreFixture } from '../merkle/testing/helpers.js';
import type { Fr } from '../types/fr.js';
import type { L2Block } from '../types/l2-block.js';
import { encodeL2Block } from '../types/l2-block.js';
import { TREE_IDS, type WorldState } from './types.js';
import { buildTestBlock } from './testing/blocks.js';
import { testChain } from './testing/chain.js';
import { createWorldState } from './world-state.js';

const fx = new StoreFixture();
afterEach(() => fx.cleanup());

const code = (c: string, more: Record<string, unknown> = {}) => expect.objectContaining({ code: c, ...more }) as Error;
const roots = (ws: WorldState, at?: bigint) => TREE_IDS.map(tree => ws.getRoot(tree, at));
const clone = (block: L2Block): L2Block => structuredClone(block);

describe('LmdbWorldState', () => {
  it('a follower applying the same blocks with prepareBlock reproduces every root', async () => {
    const seq = testChain(await fx.temp(), 1);
    for (let i = 0; i < 6; i++) seq.next(i === 0 ? 4 : undefined);
    const store = await fx.temp();
    const follower = createWorldState({ store, blockHistory: 64 });
    const archiverBlocks = store.openMap<Buffer, number>('archiver-blocks', { values: 'binary' });
    for (const { block, messages } of seq.blocks) {
      const n = block.header.globalVariables.blockNumber;
      const fork = follower.prepareBlock(block, messages);
      store.transactionSync(() => {
        fork.commitSync(n);
        archiverBlocks.set(Number(n), encodeL2Block(block));
      });
      expect(follower.getBlockNumber()).toBe(n);
    }
    for (let n = 0n; n <= 6n; n++) expect(roots(follower, n)).toEqual(roots(seq.worldState, n));
    expect(follower.getSiblingPath('noteHash', 3n, 4n)).toEqual(seq.worldState.getSiblingPath('noteHash', 3n, 4n));
    expect(archiverBlocks.count()).toBe(6);
  });

  it('rejects a block whose header state, archive, last archive or number is wrong, naming the field', async () => {
    const seq = testChain(await fx.temp(), 2);
    seq.next(3, 5);
    const { block, messages } = seq.next(2, 2);
    const follower = createWorldState({ store: await fx.temp(), blockHistory: 64 });
    follower.prepareBlock(seq.blocks[0]!.block, seq.blocks[0]!.messages).commitSync(1n);
    const before = roots(follower);

    const tampered: [string, (b: L2Block) => void][] = [
      [
        'header.state.noteHashTree',
        b => (b.header.state.noteHashTree.root = (b.header.state.noteHashTree.root ^ 1n) as Fr),
      ],
      ['header.state.nullifierTree', b => (b.header.state.nullifierTree.nextAvailableLeafIndex += 1)],
      ['header.state.publicDataTree', b => (b.header.state.publicDataTree.root = 5n as Fr)],
      ['header.state.l1ToL2MessageTree', b => (b.header.state.l1ToL2MessageTree.root = 7n as Fr)],
      ['archive', b => (b.archive.root = 1n as Fr)],
      ['archive', b => (b.header.totalManaUsed += 1n)], // the header hash changes: the archive no longer matches
      ['header.lastArchive', b => (b.header.lastArchive.nextAvailableLeafIndex = 1)],
      ['header.globalVariables.blockNumber', b => (b.header.globalVariables.blockNumber = asL2BlockNumber(3n))],
    ];
    for (const [field, tamper] of tampered) {
      const bad = clone(block);
      tamper(bad);
      expect(() => follower.prepareBlock(bad, messages), field).toThrow(
        code('BLOCK_MISMATCH', { message: expect.stringContaining(field) as string }),
      );
      try {
        follower.prepareBlock(bad, messages);
      } catch (err) {
        expect((err as { context: Record<string, unknown> }).context).toMatchObject({ field });
      }
    }
    // A different message set changes the L1→L2 tree.
    expect(() => follower.prepareBlock(block, [...messages].reverse())).toThrow(code('BLOCK_MISMATCH'));
    expect(roots(follower)).toEqual(before);
    expect(follower.getBlockNumber()).toBe(1n);
    follower.prepareBlock(block, messages).commitSync(2n);
    expect(roots(follower)).toEqual(roots(seq.worldState));
  });

  it('rejects a duplicate nullifier, inserting none of the batch', async () => {
    const seq = testChain(await fx.temp(), 3);
    const first = seq.next(2);
    const existing = first.block.body[0]!.nullifiers[0]!;
    const fork = seq.worldState.fork();
    const fresh = seq.fresh.field();
    expect(fork.hasNullifier(existing)).toBe(true);
    expect(() => fork.insertNullifiers([fresh, existing])).toThrow(code('DUPLICATE_NULLIFIER'));
    expect(fork.hasNullifier(fresh)).toBe(false);
    expect(() => fork.insertNullifiers([fresh, fresh])).toThrow(code('DUPLICATE_NULLIFIER'));
    expect(fork.hasNullifier(fresh)).toBe(false);
    fork.insertNullifiers([fresh]);
    expect(fork.hasNullifier(fresh)).toBe(true);
    fork.discard();
    expect(() => fork.hasNullifier(fresh)).toThrow(code('FORK_CLOSED'));

    // A block re-using a nullifier is refused by prepareBlock (and by the builder).
    const effects = seq.fresh.effects(1);
    effects[0]!.nullifiers.push(existing);
    expect(() => buildTestBlock(seq.worldState, effects)).toThrow(code('DUPLICATE_NULLIFIER'));
    const follower = createWorldState({ store: await fx.temp(), blockHistory: 64 });
    follower.prepareBlock(first.block, first.messages).commitSync(1n);
    const bad = { ...seq.next(1).block };
    bad.body = [...bad.body, ...effects];
    expect(() => follower.prepareBlock(bad, seq.blocks[1]!.messages)).toThrow(code('DUPLICATE_NULLIFIER'));
    expect(follower.getBlockNumber()).toBe(1n);
  });

  it('forks are isolated from the committed state and from each other', async () => {
    const seq = testChain(await fx.temp(), 4);
    seq.next(2);
    const ws = seq.worldState;
    const committed = roots(ws);
    const a = ws.fork();
    const b = ws.fork();
    const slot = seq.fresh.field();
    a.appendL1ToL2Messages([seq.fresh.field()]);
    a.appendNoteHashes([seq.fresh.field()]);
    a.insertNullifiers([seq.fresh.field()]);
    a.writePublicData(slot, 9n as Fr);
    expect(a.readPublicData(slot)).toBe(9n);
    expect(b.readPublicData(slot)).toBe(0n);
    expect(ws.getPublicStorageAt(slot)).toBe(0n);
    expect(roots(ws)).toEqual(committed);
    expect(b.getStateReference()).toEqual(seq.blocks[0]!.block.header.state);
    expect(a.getStateReference()).not.toEqual(b.getStateReference());
    expect(a.getL1ToL2MessageLeaf(16n)).not.toBe(0n);
    expect(b.getL1ToL2MessageLeaf(16n)).toBe(0n);
    // Once one fork is committed, the other is stale.
    const built = buildTestBlock(ws, seq.fresh.effects(1));
    built.fork.commitSync(2n);
    b.appendL1ToL2Messages([]);
    b.appendArchive({ ...built.block.header });
    expect(() => b.commitSync(2n)).toThrow(code('STALE_FORK'));
    expect(ws.getBlockNumber()).toBe(2n);
    a.discard();
  });

  it('refuses incomplete or misnumbered commits and too many messages', async () => {
    const seq = testChain(await fx.temp(), 5);
    const fork = seq.worldState.fork();
    expect(() => fork.appendL1ToL2Messages(seq.fresh.messages(17))).toThrow(code('BAD_L1_TO_L2_MESSAGES'));
    fork.appendL1ToL2Messages([]);
    expect(() => fork.appendL1ToL2Messages([])).toThrow(code('BAD_L1_TO_L2_MESSAGES'));
    expect(() => fork.commitSync(1n)).toThrow(code('BAD_BLOCK_NUMBER'));
    const { block } = buildTestBlock(seq.worldState, []);
    expect(() =>
      fork.appendArchive({
        ...block.header,
        globalVariables: { ...block.header.globalVariables, blockNumber: asL2BlockNumber(2n) },
      }),
    ).toThrow(code('BAD_BLOCK_NUMBER'));
    fork.appendArchive(block.header);
    expect(() => fork.commitSync(2n)).toThrow(code('BAD_BLOCK_NUMBER'));
    fork.commitSync(1n);
    expect(fork.baseBlockNumber).toBe(1n);
    expect(seq.worldState.getRoot('archive')).toBe(block.archive.root);
  });

  it('a transaction that throws after commitSync leaves nothing committed', async () => {
    const store = await fx.temp();
    const seq = testChain(store, 6);
    seq.next(2);
    const ws = seq.worldState;
    const before = TREE_IDS.map(tree => [ws.getRoot(tree), ws.getSize(tree)]);
    const archiverBlocks = store.openMap<string, number>('archiver-blocks');
    const messages = seq.fresh.messages(4);
    const built = buildTestBlock(ws, seq.fresh.effects(3), messages);
    const noteHash = built.block.body.flatMap(e => e.noteHashes).find(h => h !== 0n);
    expect(() =>
      store.transactionSync(() => {
        built.fork.commitSync(2n);
        archiverBlocks.set(2, 'block 2');
        expect(ws.getBlockNumber()).toBe(2n); // visible inside the transaction
        throw new Error('archiver failed midway');
      }),
    ).toThrow('archiver failed midway');
    expect(ws.getBlockNumber()).toBe(1n);
    expect(TREE_IDS.map(tree => [ws.getRoot(tree), ws.getSize(tree)])).toEqual(before);
    expect(archiverBlocks.get(2)).toBeUndefined();
    if (noteHash !== undefined) expect(ws.findLeafIndex('noteHash', noteHash)).toBeUndefined();
    expect(() => ws.getRoot('archive', 2n)).toThrow(code('BLOCK_NOT_AVAILABLE'));
    // The committed-then-aborted fork is stale; the same block applies cleanly on a new one.
    expect(() => built.fork.commitSync(3n)).toThrow();
    const again = ws.prepareBlock(built.block, messages);
    store.transactionSync(() => {
      again.commitSync(2n);
      archiverBlocks.set(2, 'block 2');
    });
    expect(ws.getBlockNumber()).toBe(2n);
    expect(ws.getRoot('archive')).toBe(built.block.archive.root);
    expect(archiverBlocks.get(2)).toBe('block 2');
    if (noteHash !== undefined) expect(ws.findLeafIndex('noteHash', noteHash)).toBeDefined();
  });

  it('reopening the same data directory keeps the state', async () => {
    const dir = fx.dir();
    const store = await fx.at(dir);
    const seq = testChain(store, 7);
    for (let i = 0; i < 4; i++) seq.next();
    const ws = seq.worldState;
    const history = [0n, 2n, 4n].map(n => [roots(ws, n), ws.getSiblingPath('archive', n, n)]);
    await store.close();

    const reopened = createWorldState({ store: await fx.at(dir), blockHistory: 64 });
    expect(reopened.getBlockNumber()).toBe(4n);
    expect([0n, 2n, 4n].map(n => [roots(reopened, n), reopened.getSiblingPath('archive', n, n)])).toEqual(history);
    const nullifier = seq.blocks[2]!.block.body.flatMap(e => e.nullifiers)[0];
    if (nullifier !== undefined) expect(reopened.getNullifierWitness(nullifier)).toBeDefined();
    const next = buildTestBlock(reopened, []);
    next.fork.commitSync(5n);
    expect(reopened.getBlockNumber()).toBe(5n);
  });
});
