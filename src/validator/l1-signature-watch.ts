import type { Address, Hex } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { asSlot, type Slot } from '../foundation/types/branded.js';
import { findProposeCall } from '../l1/contracts/index.js';
import { proposalDigest, recoverAttester } from '../protocol/proposal-digest.js';
import { frToHex, type Fr } from '../types/fr.js';
import type { BlockHeader } from '../types/header.js';
import type { SeenSignature } from './doppelganger.js';

/** What the watch reads of a block the archiver added (its `PublishedL2Block`). */
export interface SyncedBlock {
  block: { header: BlockHeader; archive: { root: Fr } };
  headerHash: Fr;
  l1: { l1TxHash: Hex };
}

/** The archiver's events, as far as the watch reads them (`blocks-added`). */
export type SyncEvent = { type: string; blocks?: readonly SyncedBlock[] };

/** What `L1SignatureWatch` works with. */
export interface L1SignatureWatchDeps {
  /** New blocks as the archiver syncs them. */
  archiver: { subscribe(listener: (event: SyncEvent) => void): () => void };
  /** The calldata of an L1 transaction (the block's `propose` call carries the committee's signatures). */
  txInput(hash: Hex): Promise<Hex>;
  /** The slot's proposer: L1 accepted the block from it, over the same digest. */
  epochCache: { getProposerAttester(slot: Slot): Promise<Address | undefined> };
  l1ChainId: number;
  rollup: Address;
  /** Blocks of slots before this are not read (undefined: none are). */
  fromSlot(): bigint | undefined;
  /** Called with every signature a new block carries: each attestation, and the proposer's block. */
  onSignature(seen: SeenSignature): void | Promise<void>;
  logger?: Logger;
}

/**
 * Doppelganger protection's L1 watch: for each block the archiver adds (of a slot from `fromSlot()` on), reads its
 * `propose` call, recovers the attesters of its signatures over the proposal digest, and reports them with the slot's
 * proposer. Blocks are checked one at a time in the order they arrive; `stop()` waits for the one in progress.
 */
export class L1SignatureWatch {
  private unsubscribe: (() => void) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly deps: L1SignatureWatchDeps) {
    this.log = deps.logger ?? createLogger('validator');
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.deps.archiver.subscribe(event => {
      if (event.type !== 'blocks-added') return;
      for (const block of event.blocks ?? []) this.enqueue(block);
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.queue;
  }

  /** Resolves once every block reported so far was checked (for tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(block: SyncedBlock): void {
    const from = this.deps.fromSlot();
    const slot = block.block.header.globalVariables.slotNumber;
    if (from === undefined || slot < from) return;
    this.queue = this.queue
      .then(() => this.check(block))
      .catch((err: unknown) =>
        this.log.warn('Could not read the signatures of an L1 block', {
          blockNumber: block.block.header.globalVariables.blockNumber,
          l1TxHash: block.l1.l1TxHash,
          error: errorMessage(err),
        }),
      );
  }

  private async check(block: SyncedBlock): Promise<void> {
    const { deps } = this;
    const archive = frToHex(block.block.archive.root);
    const call = findProposeCall(await deps.txInput(block.l1.l1TxHash), archive);
    if (!call) return;
    const slot = asSlot(block.block.header.globalVariables.slotNumber);
    const digest = proposalDigest(deps.l1ChainId, deps.rollup, frToHex(block.headerHash), archive);
    for (const signature of call.signatures) {
      const signer = await recoverAttester(digest, signature);
      await deps.onSignature({ kind: 'attestation', signer, slot, digest, source: 'l1' });
    }
    const proposer = await deps.epochCache.getProposerAttester(slot);
    if (proposer !== undefined) await deps.onSignature({ kind: 'block', signer: proposer, slot, digest, source: 'l1' });
  }
}
