import type { Address, Hex, TransactionReceipt } from 'viem';

import { asUnixSeconds, type Epoch, type Slot } from '../../foundation/types/branded.js';
import type { AttestationRequest } from '../../protocol/attestations.js';
import type { BuiltBlock } from '../../protocol/block/index.js';
import type { Attestation } from '../../protocol/proposal-digest.js';
import { TxRejectionCode } from '../../protocol/tx/rejection.js';
import { asFr, type Fr } from '../../types/fr.js';
import type { GasFees } from '../../types/header.js';
import type { RollupEpochConstants } from '../../types/rollup-constants.js';
import { randomL2Block, randomTx, TestRandom } from '../../types/testing/index.js';
import type { Tx } from '../../types/tx.js';
import type { WorldStateFork } from '../../world-state/types.js';
import type { BuildBlockFn, SequencerDeps, SequencerPublisher } from '../deps.js';
import type { BlockProposal, PublishResult } from '../publisher.js';
import type { SequencerState } from '../state.js';
import { ManualL1Clock } from './manual-l1-clock.js';

/** The chain the fakes describe: genesis at 1000 s, 8 s slots, 4-slot epochs, an L1 block every 2 s. */
export const FAKE_CONSTANTS: RollupEpochConstants = {
  genesisTime: asUnixSeconds(1000n),
  slotDuration: 8n,
  epochDuration: 4n,
  targetCommitteeSize: 3,
};
export const FAKE_L1_BLOCK_TIME = 2;
export const FAKE_ATTESTER: Address = '0x00000000000000000000000000000000000a7e57';
export const FAKE_PUBLISHER: Address = '0x000000000000000000000000000000000000b10c';
export const FAKE_COINBASE: Address = '0x000000000000000000000000000000000000c0de';
export const FAKE_FEE_RECIPIENT = 0xfee5n;
export const FAKE_OTHER_ATTESTER: Address = '0x00000000000000000000000000000000000001de';
export const FAKE_ARCHIVE_ROOT = asFr(0xa2c41en);

/** Base fees the fake derives from the timestamp, so a test can tell which timestamp they were asked for. */
export const fakeBaseFees = (ts: bigint): GasFees => ({ feePerDaGas: ts * 3n, feePerL2Gas: ts * 7n + 1n });

/** A fork that only remembers whether it was discarded (the fake block builder never writes to it). */
export interface FakeFork extends WorldStateFork {
  discarded: number;
}

function fakeFork(baseBlockNumber: bigint): FakeFork {
  const unused = () => {
    throw new Error('the fake fork has no trees');
  };
  return {
    baseBlockNumber,
    discarded: 0,
    discard() {
      this.discarded++;
    },
    appendL1ToL2Messages: unused,
    appendNoteHashes: unused,
    insertNullifiers: unused,
    hasNullifier: unused,
    readPublicData: unused,
    writePublicData: unused,
    getL1ToL2MessageLeaf: unused,
    getStateReference: unused,
    getArchiveSnapshot: unused,
    appendArchive: unused,
    commitSync: unused,
  };
}

/** One call a fake saw, with the sequencer's state at the time. */
export interface TracedCall {
  call: string;
  state: SequencerState;
}

/**
 * Fakes of every sequencer dependency, whose answers a test sets through the public fields and whose calls it reads
 * back (`trace` in order, with the state the sequencer was in; the `*Calls` arrays with their arguments). `hooks`
 * run inside a call (e.g. move the clock, as a slow L1 read would).
 */
export class FakeSequencerWorld {
  readonly clock = new ManualL1Clock();
  readonly rng = new TestRandom(7);
  readonly trace: TracedCall[] = [];

  // What the fakes answer.
  l1Pending = 3n;
  l1Proven = 1n;
  archiverTip = 3n;
  worldStateTip = 3n;
  prunable = false;
  proposer: Address | undefined = FAKE_ATTESTER;
  canProposeError: Error | undefined;
  committee: Address[] = [FAKE_ATTESTER, FAKE_OTHER_ATTESTER, FAKE_PUBLISHER];
  quorum = 3;
  pendingTxs: Tx[] = [randomTx(this.rng), randomTx(this.rng), randomTx(this.rng)];
  /** Txs the builder refuses (by index into the txs it is given). */
  failingTxIndices: number[] = [];
  attestations: Attestation[] = [{ v: 27, r: `0x${'01'.repeat(32)}`, s: `0x${'02'.repeat(32)}` }];
  collectResult: (req: AttestationRequest) => Promise<{ attestations: Attestation[] } | { reason: string }> = () =>
    Promise.resolve({ attestations: this.attestations });
  publishResult: PublishResult = { published: true, receipt: { status: 'success' } as TransactionReceipt };
  hooks: Partial<Record<string, () => void>> = {};

  // What the fakes were called with.
  readonly canProposeCalls: { ts: bigint; archive: Hex; account: Address }[] = [];
  readonly pendingTxLimits: (number | undefined)[] = [];
  readonly baseFeeTimestamps: bigint[] = [];
  readonly l1ToL2MessageBlocks: bigint[] = [];
  readonly forks: FakeFork[] = [];
  readonly buildCalls: Parameters<BuildBlockFn>[0][] = [];
  readonly built: BuiltBlock[] = [];
  readonly committeeEpochs: Epoch[] = [];
  readonly proposerSlots: Slot[] = [];
  readonly collectCalls: AttestationRequest[] = [];
  readonly proposeCalls: { proposal: BlockProposal; deadline: Date; signal: AbortSignal | undefined }[] = [];
  readonly pruneSignals: (AbortSignal | undefined)[] = [];

  /** The state the sequencer is in, read by the fakes when called (set once the sequencer exists). */
  stateOf: () => SequencerState = () => 'IDLE';

  private saw(call: string): void {
    this.trace.push({ call, state: this.stateOf() });
    this.hooks[call]?.();
  }

  /** `trace` as `call@STATE` strings, for compact assertions. */
  traced(): string[] {
    return this.trace.map(t => `${t.call}@${t.state}`);
  }

  /** Sets the clock to `secondsIntoSlot` into `slot`. */
  at(slot: bigint, secondsIntoSlot: number): void {
    this.clock.setSeconds(Number(FAKE_CONSTANTS.genesisTime + slot * FAKE_CONSTANTS.slotDuration) + secondsIntoSlot);
  }

  /** Seconds into `slot` at the clock's time. */
  secondsInto(slot: bigint): number {
    return this.clock.nowMs() / 1000 - Number(FAKE_CONSTANTS.genesisTime + slot * FAKE_CONSTANTS.slotDuration);
  }

  /** The one publisher of the fake validator. */
  readonly publisher: SequencerPublisher = {
    address: FAKE_PUBLISHER,
    propose: (proposal, deadline, signal) => {
      this.proposeCalls.push({ proposal, deadline, signal });
      this.saw('propose');
      return Promise.resolve(this.publishResult);
    },
    prune: signal => {
      this.pruneSignals.push(signal);
      this.saw('prune');
      return Promise.resolve(true);
    },
  };

  deps(): SequencerDeps {
    return {
      rollup: {
        getTips: () => {
          this.saw('getTips');
          return Promise.resolve({ pending: this.l1Pending, proven: this.l1Proven });
        },
        canPruneAtTime: () => {
          this.saw('canPruneAtTime');
          return Promise.resolve(this.prunable);
        },
        canProposeAtTime: (ts, archive, account) => {
          this.canProposeCalls.push({ ts, archive, account });
          this.saw('canProposeAtTime');
          return this.canProposeError ? Promise.reject(this.canProposeError) : Promise.resolve(true);
        },
      },
      clock: this.clock,
      l1ChainId: 31337,
      rollupVersion: 5n,
      constants: FAKE_CONSTANTS,
      l1BlockTime: FAKE_L1_BLOCK_TIME,
      epochCache: {
        getProposerAttester: slot => {
          this.proposerSlots.push(slot);
          this.saw('getProposerAttester');
          return Promise.resolve(this.proposer);
        },
        getCommittee: epoch => {
          this.committeeEpochs.push(epoch);
          this.saw('getCommittee');
          return Promise.resolve({ committee: this.committee, quorum: this.quorum });
        },
      },
      worldState: {
        getBlockNumber: () => this.worldStateTip,
        getRoot: (tree: string): Fr => {
          if (tree !== 'archive') throw new Error(`the fake world state has no ${tree} root`);
          return FAKE_ARCHIVE_ROOT;
        },
        fork: () => {
          this.saw('fork');
          const fork = fakeFork(this.worldStateTip);
          this.forks.push(fork);
          return fork;
        },
      },
      blocks: {
        getLatestBlockNumber: () => this.archiverTip,
        getL1ToL2Messages: n => {
          this.l1ToL2MessageBlocks.push(n);
          return Array.from({ length: 16 }, (_, i) => asFr(n * 100n + BigInt(i)));
        },
      },
      txs: {
        getPendingTxs: limit => {
          this.pendingTxLimits.push(limit);
          this.saw('getPendingTxs');
          return this.pendingTxs;
        },
      },
      buildBlock: args => {
        this.buildCalls.push(args);
        this.saw('buildBlock');
        const offered = args.txs.slice(0, args.maxTxs);
        const included = offered.filter((_, i) => !this.failingTxIndices.includes(i));
        const failed = offered
          .filter((_, i) => this.failingTxIndices.includes(i))
          .map(tx => ({
            tx,
            rejection: { code: TxRejectionCode.DUPLICATE_NULLIFIER, reason: 'nullifier already in the tree' },
          }));
        const block = randomL2Block(this.rng, included.length);
        block.header.globalVariables = args.globals;
        const built: BuiltBlock = {
          block,
          blobs: [new Uint8Array([1, 2, 3])],
          versionedHashes: [`0x01${'ab'.repeat(31)}`],
          included,
          failed,
          deferred: [],
          timings: {
            signaturesMs: 0,
            executionMs: 0,
            treeInsertsMs: 0,
            blobEncodingMs: 0,
            commitmentsMs: 0,
            headerMs: 0,
            totalMs: 0,
          },
        };
        this.built.push(built);
        return built;
      },
      attestations: {
        collect: req => {
          this.collectCalls.push(req);
          this.saw('collect');
          return this.collectResult(req);
        },
      },
      validators: [
        {
          attester: FAKE_ATTESTER,
          coinbase: FAKE_COINBASE,
          feeRecipient: FAKE_FEE_RECIPIENT,
          publishers: [this.publisher],
        },
      ],
      baseFees: ts => {
        this.baseFeeTimestamps.push(ts);
        this.saw('baseFees');
        return fakeBaseFees(ts);
      },
    };
  }
}
