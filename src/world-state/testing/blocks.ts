import { zeroAddress } from 'viem';

import { asL2BlockNumber, asSlot, asUnixSeconds } from '../../foundation/types/branded.js';
import { FR_ZERO, type Fr } from '../../types/fr.js';
import type { BlockHeader } from '../../types/header.js';
import type { L2Block } from '../../types/l2-block.js';
import { computeOutHash } from '../../types/messages.js';
import type { TestRandom } from '../../types/testing/random.js';
import { randomTxEffect } from '../../types/testing/factories.js';
import type { TxEffect } from '../../types/tx-effect.js';
import { computeInHash } from '../../types/in-hash.js';
import { applyBlockBody } from '../prepare-block.js';
import type { WorldState, WorldStateFork } from '../types.js';

/** A block built on a fork, with the fork (not committed: commit it with `fork.commitSync(blockNumber)`). */
export interface BuiltBlock {
  block: L2Block;
  fork: WorldStateFork;
}

/**
 * Builds the next block on a fork of `worldState` the way a sequencer does: applies the messages and body, takes
 * the header's `state` from the fork, appends the header, and takes `archive` from the fork. For tests.
 */
export function buildTestBlock(
  worldState: WorldState,
  body: readonly TxEffect[],
  l1ToL2Messages: readonly Fr[] = [],
): BuiltBlock {
  const fork = worldState.fork();
  const blockNumber = fork.baseBlockNumber + 1n;
  const lastArchive = fork.getArchiveSnapshot();
  applyBlockBody(fork, l1ToL2Messages, body);
  const header: BlockHeader = {
    lastArchive,
    contentCommitment: {
      numTxs: body.length,
      blobsHash: FR_ZERO,
      inHash: computeInHash(l1ToL2Messages),
      outHash: computeOutHash(body.flatMap(e => e.l2ToL1Messages)),
    },
    state: fork.getStateReference(),
    globalVariables: {
      chainId: 31337n,
      version: 1n,
      blockNumber: asL2BlockNumber(blockNumber),
      slotNumber: asSlot(blockNumber),
      timestamp: asUnixSeconds(1_700_000_000n + blockNumber * 8n),
      coinbase: zeroAddress,
      feeRecipient: FR_ZERO,
      gasFees: { feePerDaGas: 1n, feePerL2Gas: 1n },
    },
    totalFees: body.reduce((sum, e) => sum + e.transactionFee, 0n),
    totalManaUsed: 0n,
  };
  fork.appendArchive(header);
  return { block: { header, archive: fork.getArchiveSnapshot(), body: [...body] }, fork };
}

/**
 * Random tx effects whose nullifiers are fresh (non-zero, never returned before by this generator), so a chain of
 * blocks made from them is valid.
 */
export class FreshEffects {
  private readonly used = new Set<bigint>();

  constructor(private readonly rng: TestRandom) {}

  /** A fresh non-zero field. */
  field(): Fr {
    for (;;) {
      const v = this.rng.bigint(254);
      if (v !== 0n && !this.used.has(v)) {
        this.used.add(v);
        return v as Fr;
      }
    }
  }

  /** `n` random tx effects with fresh nullifiers. */
  effects(n: number): TxEffect[] {
    return this.rng.array(n, () => {
      const effect = randomTxEffect(this.rng);
      return { ...effect, nullifiers: effect.nullifiers.map(() => this.field()) };
    });
  }

  /** `n` random L1→L2 message leaves. */
  messages(n: number): Fr[] {
    return this.rng.array(n, () => this.field());
  }
}
