import type { Address, Hex } from 'viem';

import type { EpochCache } from '../epoch/epoch-cache.js';
import type { RollupEpochConstants } from '../epoch/rollup-reader.js';
import type { L1PublicClient } from '../l1/clients.js';
import type { Attestation } from '../l1/proposal-digest.js';
import type { Fr } from '../types/fr.js';
import type { GasFees, GlobalVariables } from '../types/header.js';
import type { L2Block } from '../types/l2-block.js';
import type { Tx } from '../types/tx.js';
import type { WorldState, WorldStateFork } from '../world-state/types.js';
import type { Publisher } from './publisher.js';

/** What the sequencer reads of the synced chain (the archiver). */
export interface SequencerBlockSource {
  /** Latest L2 block the archiver stored. */
  getLatestBlockNumber(): bigint;
  /** The 16 L1→L2 message leaves of a block (zero-filled). */
  getL1ToL2Messages(blockNumber: bigint): Fr[];
}

/** Where pending txs come from (the tx pool). */
export interface SequencerTxSource {
  getPendingTxs(limit?: number): Tx[];
}

/** The block builder's result. */
export interface BuiltBlock {
  block: L2Block;
  blobs: Uint8Array[];
  versionedHashes: Hex[];
  included: Tx[];
  failed: { tx: Tx; reason: string }[];
}

/** Builds a block on a fork: executes txs in order, skipping the ones that fail. */
export type BuildBlockFn = (args: {
  fork: WorldStateFork;
  txs: readonly Tx[];
  globals: GlobalVariables;
  l1ToL2Messages: readonly Fr[];
  maxTxs: number;
}) => Promise<BuiltBlock> | BuiltBlock;

/** Gets the committee's attestations for a block (its own, and others' over P2P). */
export interface AttestationSource {
  /**
   * Attestations in committee order, at least `quorum` of them; or the reason there are not enough by `deadline`
   * (how many of how many arrived).
   */
  collect(args: {
    built: BuiltBlock;
    committee: readonly Address[];
    quorum: number;
    deadline: Date;
  }): Promise<{ attestations: Attestation[] } | { reason: string }>;
}

/** Everything the sequencer works with. */
export interface SequencerDeps {
  publicClient: L1PublicClient;
  rollup: Address;
  l1ChainId: number;
  rollupVersion: bigint;
  constants: RollupEpochConstants;
  l1BlockTime: number;
  epochCache: EpochCache;
  worldState: WorldState;
  blocks: SequencerBlockSource;
  txs: SequencerTxSource;
  buildBlock: BuildBlockFn;
  attestations: AttestationSource;
  publisher: Publisher;
  /** Our attester address (VALIDATOR_PRIVATE_KEY's). */
  attester: Address;
  /** Base fees for the next block. */
  baseFees(): GasFees;
  /** Wall clock in ms (injectable for tests). */
  now?: () => number;
}
