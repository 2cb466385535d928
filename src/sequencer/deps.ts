import type { Address, Hex } from 'viem';

import type { Clock } from '../foundation/time/index.js';
import type { Epoch, Slot } from '../foundation/types/branded.js';
import type { AttestationSource } from '../protocol/attestations.js';
import type { BuiltBlock } from '../protocol/block/index.js';
import type { Fr } from '../types/fr.js';
import type { GasFees, GlobalVariables } from '../types/header.js';
import type { RollupEpochConstants } from '../types/rollup-constants.js';
import type { Tx } from '../types/tx.js';
import type { WorldState, WorldStateFork } from '../world-state/types.js';
import type { PublishResult, BlockProposal } from './publisher.js';
import type { SequencerMetrics } from './metrics.js';

/** What the sequencer reads of the synced chain (the archiver). */
export interface SequencerBlockSource {
  /** Latest L2 block the archiver stored. */
  getLatestBlockNumber(): bigint;
  /** The 16 L1→L2 message leaves of a block (zero-filled). */
  getL1ToL2Messages(blockNumber: bigint): Fr[];
}

/** Where pending txs come from (the tx pool), best first. */
export interface SequencerTxSource {
  getPendingTxs(limit?: number): Tx[];
}

/** Builds a block on a fork: executes txs in order, skipping the ones that fail (`protocol/block`). */
export type BuildBlockFn = (args: {
  fork: WorldStateFork;
  txs: readonly Tx[];
  globals: GlobalVariables;
  l1ToL2Messages: readonly Fr[];
  maxTxs: number;
  /** Polled between txs: true stops adding txs (the slot's build deadline). */
  shouldStop: () => boolean;
}) => Promise<BuiltBlock> | BuiltBlock;

/** The Rollup reads of a slot (`RollupContract` fits). */
export interface SequencerRollup {
  getTips(): Promise<{ pending: bigint; proven: bigint }>;
  canPruneAtTime(ts: bigint): Promise<boolean>;
  /** Throws the contract's error when a block at `ts` on `archive` from `account` would be refused. */
  canProposeAtTime(ts: bigint, archive: Hex, account: Address): Promise<unknown>;
}

/** L1 time (`L1Clock` fits): deadlines are checked against it, and it knows when the next L1 block comes. */
export interface SequencerClock extends Clock {
  /** Timestamp of the next L1 block, on an L1 with a block every `l1BlockTime` seconds. */
  nextBlockTimestamp(l1BlockTime: number): bigint;
}

/** The committee reads (`EpochCache` fits). */
export interface SequencerEpochSource {
  getCommittee(epoch: Epoch): Promise<{ committee: readonly Address[]; quorum: number }>;
  getProposerAttester(slot: Slot): Promise<Address | undefined>;
}

/** What sends blocks to L1 (`Publisher` fits). */
export interface SequencerPublisher {
  /** The L1 account that sends the blocks. */
  readonly address: Address;
  propose(p: BlockProposal, deadline: Date, signal?: AbortSignal): Promise<PublishResult>;
  prune(signal?: AbortSignal): Promise<boolean>;
}

/** One of the node's validators, as a proposer: its attester, the accounts that may publish for it, its rewards. */
export interface SequencerValidator {
  attester: Address;
  /** Where its block rewards go on L1 (the header's coinbase). */
  coinbase: Address;
  /** L2 address that receives the fees of its blocks. */
  feeRecipient: bigint;
  /** In order of preference; the first with enough ETH publishes (`pickPublisher`). Never empty. */
  publishers: readonly SequencerPublisher[];
}

/** Everything the sequencer works with: all injectable, so a test drives it with fakes and a manual clock. */
export interface SequencerDeps {
  rollup: SequencerRollup;
  clock: SequencerClock;
  l1ChainId: number;
  rollupVersion: bigint;
  constants: RollupEpochConstants;
  /** L1 block time in seconds (the propose tx lands in the next L1 block). */
  l1BlockTime: number;
  epochCache: SequencerEpochSource;
  worldState: Pick<WorldState, 'getBlockNumber' | 'fork' | 'getRoot'>;
  blocks: SequencerBlockSource;
  txs: SequencerTxSource;
  buildBlock: BuildBlockFn;
  attestations: AttestationSource;
  /** The node's validators (the keystore's, or VALIDATOR_PRIVATE_KEY's one); the first one's publisher prunes. */
  validators: readonly SequencerValidator[];
  /** The publisher to use of a validator's, or undefined when none can pay (default: the first). */
  pickPublisher?: (publishers: readonly SequencerPublisher[]) => Promise<SequencerPublisher | undefined>;
  /** Base fees of a block at L1 time `timestamp` (what the Rollup will check the header against). */
  baseFees(timestamp: bigint): Promise<GasFees> | GasFees;
  /** Slot outcomes, build and publish time, L1 gas (`aztec_sequencer_*`); none: not measured. */
  metrics?: SequencerMetrics;
  /**
   * Why the proposer's key may not sign now (doppelganger protection), undefined when it may: the slot is then
   * skipped before any block is built.
   */
  signingRefusal?: (attester: Address) => string | undefined;
}
