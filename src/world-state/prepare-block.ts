import { frToHex, type Fr } from '../types/fr.js';
import type { AppendOnlyTreeSnapshot, StateReference } from '../types/header.js';
import type { L2Block } from '../types/l2-block.js';
import type { TxEffect } from '../types/tx-effect.js';
import { WorldStateError } from './errors.js';
import type { WorldStateFork } from './types.js';

/**
 * Applies one tx effect in the protocol's order: note hashes, then nullifiers (`DUPLICATE_NULLIFIER` when one is
 * present), then public data writes. The block builder and `prepareBlock` both use it.
 */
export function applyTxEffect(fork: WorldStateFork, effect: TxEffect): void {
  fork.appendNoteHashes(effect.noteHashes);
  fork.insertNullifiers(effect.nullifiers);
  for (const write of effect.publicDataWrites) fork.writePublicData(write.leafSlot, write.value);
}

/**
 * Applies a block's L1→L2 messages and body to `fork` (docs/l2-protocol.md, "World state"), without the archive:
 * afterwards `fork.getStateReference()` is what the block's header `state` must be.
 */
export function applyBlockBody(fork: WorldStateFork, l1ToL2Messages: readonly Fr[], body: readonly TxEffect[]): void {
  fork.appendL1ToL2Messages(l1ToL2Messages);
  for (const effect of body) applyTxEffect(fork, effect);
}

const showSnapshot = (s: AppendOnlyTreeSnapshot) => ({
  root: frToHex(s.root),
  nextAvailableLeafIndex: s.nextAvailableLeafIndex,
});

function expectSnapshot(
  field: string,
  blockNumber: bigint,
  expected: AppendOnlyTreeSnapshot,
  actual: AppendOnlyTreeSnapshot,
) {
  if (expected.root === actual.root && expected.nextAvailableLeafIndex === actual.nextAvailableLeafIndex) return;
  const e = showSnapshot(expected);
  const a = showSnapshot(actual);
  const msg = `Block ${blockNumber} does not match the world state: ${field} is ${e.root} at ${e.nextAvailableLeafIndex} in the block, but ${a.root} at ${a.nextAvailableLeafIndex} after applying it`;
  throw new WorldStateError('BLOCK_MISMATCH', msg, { blockNumber, field, expected: e, actual: a });
}

const STATE_FIELDS: readonly (keyof StateReference)[] = [
  'l1ToL2MessageTree',
  'noteHashTree',
  'nullifierTree',
  'publicDataTree',
];

/**
 * Applies `block` on `fork` (built on the block before it) and checks it: block number, `header.lastArchive`,
 * `header.state` after the body, and `block.archive` after the header is appended. Throws `WorldStateError`
 * `BLOCK_MISMATCH` naming the first field that differs (or `DUPLICATE_NULLIFIER` / `BAD_L1_TO_L2_MESSAGES`).
 */
export function checkBlock(fork: WorldStateFork, block: L2Block, l1ToL2Messages: readonly Fr[]): void {
  const { header } = block;
  const blockNumber = header.globalVariables.blockNumber;
  const expectedNumber = fork.baseBlockNumber + 1n;
  if (blockNumber !== expectedNumber) {
    const msg = `Block ${blockNumber} does not follow the world state: header.globalVariables.blockNumber is ${blockNumber} in the block, but the world state builds block ${expectedNumber}`;
    const context = { field: 'header.globalVariables.blockNumber', expected: blockNumber, actual: expectedNumber };
    throw new WorldStateError('BLOCK_MISMATCH', msg, { blockNumber, ...context });
  }
  expectSnapshot('header.lastArchive', blockNumber, header.lastArchive, fork.getArchiveSnapshot());
  applyBlockBody(fork, l1ToL2Messages, block.body);
  const state = fork.getStateReference();
  for (const field of STATE_FIELDS) {
    expectSnapshot(`header.state.${field}`, blockNumber, header.state[field], state[field]);
  }
  fork.appendArchive(header);
  expectSnapshot('archive', blockNumber, block.archive, fork.getArchiveSnapshot());
}
