import { BaseError, encodeErrorResult, getAddress, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import { AbortedError } from '../foundation/timers/index.js';
import { AllErrorsAbi } from '../l1/generated/index.js';
import { frToHex } from '../types/fr.js';
import type { SequencerDeps, SequencerPublisher } from './deps.js';
import { Sequencer, type SequencerOptions } from './sequencer.js';
import type { SequencerState } from './state.js';
import {
  FAKE_ARCHIVE_ROOT,
  FAKE_ATTESTER,
  FAKE_COINBASE,
  FAKE_FEE_RECIPIENT,
  FAKE_OTHER_ATTESTER,
  FAKE_PUBLISHER,
  fakeBaseFees,
  FakeSequencerWorld,
} from './testing/fake-deps.js';
import { makeTimetable } from './timetable.js';

// 8 s slots, an L1 block every 2 s: INITIALIZING_PROPOSAL (and the states before it) by 3 s into the slot,
// CREATING_BLOCK by 4 s, COLLECTING_ATTESTATIONS and PUBLISHING_BLOCK by 6 s.
const TIMETABLE = makeTimetable({ slotDuration: 8, l1BlockTime: 2 });
// Slot 5 starts at 1040 s (genesis 1000 s); at 0.5 s into it the next L1 block (1042 s) is in slot 5, epoch 1.
const SLOT = 5n;

function setup(opts: Partial<SequencerOptions> = {}, deps: Partial<SequencerDeps> = {}) {
  const world = new FakeSequencerWorld();
  world.at(SLOT, 0.5);
  const seq = new Sequencer(
    {
      enforceTimeTable: false,
      minTxsPerBlock: 1,
      maxTxsPerBlock: 2,
      pollingIntervalMs: 5,
      timetable: TIMETABLE,
      ...opts,
    },
    { ...world.deps(), ...deps },
  );
  world.stateOf = () => seq.getState();
  return { world, seq };
}

/** An RPC error carrying a contract's revert data, as viem reports a refused `eth_call`. */
class RevertError extends BaseError {
  constructor(readonly data: Hex) {
    super('execution reverted');
  }
}

const skipped = (state: SequencerState, reason: string) => [{ slot: SLOT, published: false, state, reason }];

describe('Sequencer', () => {
  it('goes through every state in order and publishes the block it built, with the slot in its header', async () => {
    const { world, seq } = setup();
    await seq.work();

    expect(world.traced()).toEqual([
      'getTips@SYNCHRONIZING',
      'canPruneAtTime@SYNCHRONIZING',
      'getProposerAttester@PROPOSER_CHECK',
      'canProposeAtTime@PROPOSER_CHECK',
      'getPendingTxs@INITIALIZING_PROPOSAL',
      'baseFees@INITIALIZING_PROPOSAL',
      'fork@CREATING_BLOCK',
      'buildBlock@CREATING_BLOCK',
      'getCommittee@COLLECTING_ATTESTATIONS',
      'collect@COLLECTING_ATTESTATIONS',
      'propose@PUBLISHING_BLOCK',
    ]);
    expect(seq.outcomes).toEqual([{ slot: SLOT, published: true }]);

    // The proposer and L1 checks are for the slot of the next L1 block (1042 s), on our archive, from our publisher.
    expect(world.proposerSlots).toEqual([SLOT]);
    expect(world.canProposeCalls).toEqual([
      { ts: 1042n, archive: frToHex(FAKE_ARCHIVE_ROOT), account: FAKE_PUBLISHER },
    ]);
    // Up to twice the block's limit is offered, so that failing txs can be replaced.
    expect(world.pendingTxLimits).toEqual([4]);

    // The header: the next block number, the slot and its start time, fees at that time, our coinbase and recipient.
    expect(world.baseFeeTimestamps).toEqual([1040n]);
    const build = world.buildCalls[0]!;
    expect(build.globals).toEqual({
      chainId: 31337n,
      version: 5n,
      blockNumber: 4n,
      slotNumber: SLOT,
      timestamp: 1040n,
      coinbase: FAKE_COINBASE,
      feeRecipient: FAKE_FEE_RECIPIENT,
      gasFees: fakeBaseFees(1040n),
    });
    expect(build.txs).toBe(world.pendingTxs);
    expect(build.maxTxs).toBe(2);
    expect(build.fork).toBe(world.forks[0]);
    expect(world.l1ToL2MessageBlocks).toEqual([4n]);
    expect(build.l1ToL2Messages).toHaveLength(16);
    expect(build.l1ToL2Messages[0]).toBe(400n);

    // Attestations: the epoch's committee, until one L1 block before the slot ends (1048 s - 2 s).
    expect(world.committeeEpochs).toEqual([1n]);
    const collect = world.collectCalls[0]!;
    expect(collect.built).toBe(world.built[0]);
    expect(collect.committee).toEqual([FAKE_ATTESTER, FAKE_OTHER_ATTESTER, FAKE_PUBLISHER]);
    expect(collect.quorum).toBe(3);
    expect(collect.deadline).toEqual(new Date(1046_000));
    expect(collect.signal).toBeInstanceOf(AbortSignal);

    // Published: the built block and its blobs with the collected attestations, until the slot ends.
    const { proposal, deadline, signal } = world.proposeCalls[0]!;
    expect(proposal).toEqual({
      block: world.built[0]!.block,
      blobs: world.built[0]!.blobs,
      versionedHashes: world.built[0]!.versionedHashes,
      attestations: world.attestations,
      committeeSize: 3,
    });
    expect(deadline).toEqual(new Date(1048_000));
    expect(signal).toBe(collect.signal);
    // The fork is thrown away: the block enters the world state when the archiver downloads it.
    expect(world.forks.map(f => f.discarded)).toEqual([1]);
  });

  it('proposes once per slot: the next pass in the same slot does nothing, the next slot is proposed again', async () => {
    const { world, seq } = setup();
    await seq.work();
    world.at(SLOT, 2.5);
    await seq.work();
    expect(world.proposeCalls).toHaveLength(1);
    expect(world.trace.filter(t => t.call === 'getProposerAttester')).toHaveLength(1);

    world.at(SLOT + 1n, 0.5);
    world.l1Pending = world.archiverTip = world.worldStateTip = 4n;
    await seq.work();
    expect(world.proposeCalls).toHaveLength(2);
    expect(world.buildCalls[1]!.globals).toMatchObject({ blockNumber: 5n, slotNumber: SLOT + 1n, timestamp: 1048n });
    expect(seq.outcomes).toEqual([
      { slot: SLOT, published: true },
      { slot: SLOT + 1n, published: true },
    ]);
  });

  it('runs as a loop: back to IDLE after each pass, a failed pass does not stop it, stop() ends it', async () => {
    const { world, seq } = setup();
    let failures = 1;
    world.hooks['getTips'] = () => {
      if (failures-- > 0) throw new Error('L1 RPC down');
    };
    seq.start();
    expect(seq.isRunning()).toBe(true);
    await expect.poll(() => seq.outcomes).toEqual([{ slot: SLOT, published: true }]);
    await expect.poll(() => seq.getState()).toBe('IDLE');
    // The first pass failed in SYNCHRONIZING before the one that published.
    expect(world.trace.filter(t => t.call === 'getTips').length).toBeGreaterThanOrEqual(2);
    await seq.stop();
    expect(seq.isRunning()).toBe(false);
    expect(seq.getState()).toBe('IDLE');
    expect(world.proposeCalls).toHaveLength(1);
  });

  describe('gives the slot up', () => {
    it.each([
      ['the archiver is behind L1', { archiverTip: 2n }],
      ['the world state is behind the archiver', { worldStateTip: 2n }],
    ])('waits, without an outcome, while %s', async (_what, lag) => {
      const { world, seq } = setup();
      Object.assign(world, lag);
      await seq.work();
      expect(world.traced()).toEqual(['getTips@SYNCHRONIZING']);
      expect(seq.outcomes).toEqual([]);
    });

    it('does nothing before genesis', async () => {
      const { world, seq } = setup();
      world.clock.setSeconds(990);
      await seq.work();
      expect(world.traced()).toEqual(['getTips@SYNCHRONIZING']);
      expect(seq.outcomes).toEqual([]);
    });

    it('prunes instead of proposing when the unproven epoch can be pruned', async () => {
      const { world, seq } = setup();
      world.prunable = true;
      const controller = new AbortController();
      await seq.work(controller.signal);
      expect(world.traced()).toEqual(['getTips@SYNCHRONIZING', 'canPruneAtTime@SYNCHRONIZING', 'prune@SYNCHRONIZING']);
      expect(world.pruneSignals).toEqual([controller.signal]);
      expect(seq.outcomes).toEqual([]);
    });

    it('leaves a slot that is not ours alone, without an outcome', async () => {
      const { world, seq } = setup();
      world.proposer = FAKE_OTHER_ATTESTER;
      await seq.work();
      expect(world.traced()).toEqual([
        'getTips@SYNCHRONIZING',
        'canPruneAtTime@SYNCHRONIZING',
        'getProposerAttester@PROPOSER_CHECK',
      ]);
      expect(seq.outcomes).toEqual([]);
    });

    it('when its proposer is held by doppelganger protection: before picking a publisher or building', async () => {
      const asked: string[] = [];
      const reason = `doppelganger protection: watching for other signers of attester ${FAKE_ATTESTER} until slot 9`;
      const { world, seq } = setup({}, { signingRefusal: a => (asked.push(a), reason) });
      await seq.work();
      expect(asked).toEqual([FAKE_ATTESTER]);
      expect(world.traced()).toEqual([
        'getTips@SYNCHRONIZING',
        'canPruneAtTime@SYNCHRONIZING',
        'getProposerAttester@PROPOSER_CHECK',
      ]);
      expect(seq.outcomes).toEqual(skipped('PROPOSER_CHECK', reason));
      // Once the gate lets it sign, the same slot setup publishes.
      const open = setup({}, { signingRefusal: () => undefined });
      await open.seq.work();
      expect(open.seq.outcomes).toEqual([{ slot: SLOT, published: true }]);
    });

    it('proposes when the committee is empty (anyone may) and when the proposer differs only in case', async () => {
      for (const proposer of [undefined, getAddress(FAKE_ATTESTER).toUpperCase().replace('0X', '0x') as Hex]) {
        const { world, seq } = setup();
        world.proposer = proposer;
        await seq.work();
        expect(seq.outcomes).toEqual([{ slot: SLOT, published: true }]);
      }
    });

    it('when L1 says we cannot propose, with the contract error decoded', async () => {
      const { world, seq } = setup();
      const expected = getAddress(FAKE_OTHER_ATTESTER);
      const data = encodeErrorResult({
        abi: AllErrorsAbi,
        errorName: 'Rollup__InvalidProposer',
        args: [expected, getAddress(FAKE_PUBLISHER)],
      });
      world.canProposeError = new RevertError(data);
      await seq.work();
      expect(seq.outcomes).toEqual(
        skipped(
          'PROPOSER_CHECK',
          `L1 says we cannot propose: Rollup__InvalidProposer(${expected}, ${getAddress(FAKE_PUBLISHER)})`,
        ),
      );
      expect(world.traced()).not.toContain('getPendingTxs@INITIALIZING_PROPOSAL');
      // The slot is given up for good: the next pass does not ask L1 again.
      await seq.work();
      expect(world.canProposeCalls).toHaveLength(1);
      expect(seq.outcomes).toHaveLength(1);
    });

    it('with fewer pending txs than SEQ_MIN_TX_PER_BLOCK, before building', async () => {
      const { world, seq } = setup({ minTxsPerBlock: 4, maxTxsPerBlock: 8 });
      await seq.work();
      expect(seq.outcomes).toEqual(
        skipped('INITIALIZING_PROPOSAL', 'not enough txs: 3 pending, SEQ_MIN_TX_PER_BLOCK is 4'),
      );
      expect(world.forks).toEqual([]);
      expect(world.buildCalls).toEqual([]);
    });

    it('with fewer valid txs than SEQ_MIN_TX_PER_BLOCK after building, discarding the fork', async () => {
      const { world, seq } = setup({ minTxsPerBlock: 2, maxTxsPerBlock: 3 });
      world.failingTxIndices = [0, 2];
      await seq.work();
      expect(seq.outcomes).toEqual(skipped('CREATING_BLOCK', 'only 1 valid txs, SEQ_MIN_TX_PER_BLOCK is 2'));
      expect(world.collectCalls).toEqual([]);
      expect(world.forks.map(f => f.discarded)).toEqual([1]);
    });

    it('builds an empty block when SEQ_MIN_TX_PER_BLOCK is 0 and no tx is pending', async () => {
      const { world, seq } = setup({ minTxsPerBlock: 0 });
      world.pendingTxs = [];
      await seq.work();
      expect(seq.outcomes).toEqual([{ slot: SLOT, published: true }]);
      expect(world.built[0]!.included).toEqual([]);
    });

    it('when the committee does not reach the quorum, with the source’s reason, discarding the fork', async () => {
      const { world, seq } = setup();
      world.collectResult = () => Promise.resolve({ reason: 'only 1 of 3 attestations by the deadline (quorum 3)' });
      await seq.work();
      expect(seq.outcomes).toEqual(
        skipped('COLLECTING_ATTESTATIONS', 'only 1 of 3 attestations by the deadline (quorum 3)'),
      );
      expect(world.proposeCalls).toEqual([]);
      expect(world.forks.map(f => f.discarded)).toEqual([1]);
    });

    it('when publishing fails, with the publisher’s reason', async () => {
      const { world, seq } = setup();
      world.publishResult = { published: false, reason: 'L1 tx failed: nonce too low' };
      await seq.work();
      expect(seq.outcomes).toEqual(skipped('PUBLISHING_BLOCK', 'L1 tx failed: nonce too low'));
      expect(world.forks.map(f => f.discarded)).toEqual([1]);
    });

    it('discards the fork when building throws, and lets the error through to the loop', async () => {
      const { world, seq } = setup();
      world.hooks['buildBlock'] = () => {
        throw new Error('world state corrupt');
      };
      await expect(seq.work()).rejects.toThrow('world state corrupt');
      expect(world.forks.map(f => f.discarded)).toEqual([1]);
      expect(seq.outcomes).toEqual([]);
    });
  });

  describe('with SEQ_ENFORCE_TIME_TABLE', () => {
    // Each case: a dependency that is slow (moves the clock to `to` seconds into the slot) makes the sequencer too
    // late to enter the next state; the slot is given up in the state it was in, and what follows is not called.
    const cases: {
      enter: SequencerState;
      slowCall: string;
      to: number;
      givenUpIn: SequencerState;
      notCalled: string;
    }[] = [
      {
        enter: 'INITIALIZING_PROPOSAL',
        slowCall: 'canProposeAtTime',
        to: 3.5,
        givenUpIn: 'PROPOSER_CHECK',
        notCalled: 'getPendingTxs',
      },
      {
        enter: 'CREATING_BLOCK',
        slowCall: 'baseFees',
        to: 4.5,
        givenUpIn: 'INITIALIZING_PROPOSAL',
        notCalled: 'buildBlock',
      },
      {
        enter: 'COLLECTING_ATTESTATIONS',
        slowCall: 'buildBlock',
        to: 6.5,
        givenUpIn: 'CREATING_BLOCK',
        notCalled: 'collect',
      },
      {
        enter: 'PUBLISHING_BLOCK',
        slowCall: 'collect',
        to: 6.5,
        givenUpIn: 'COLLECTING_ATTESTATIONS',
        notCalled: 'propose',
      },
    ];

    it.each(cases)(
      'gives the slot up when too late to enter $enter ($slowCall was slow)',
      async ({ enter, slowCall, to, givenUpIn, notCalled }) => {
        const { world, seq } = setup({ enforceTimeTable: true });
        world.hooks[slowCall] = () => world.at(SLOT, to);
        await seq.work();
        const deadline = TIMETABLE[enter];
        expect(seq.outcomes).toEqual(
          skipped(
            givenUpIn,
            `too late to enter ${enter}: ${to.toFixed(2)}s into the slot, deadline ${deadline.toFixed(2)}s`,
          ),
        );
        expect(world.trace.map(t => t.call)).not.toContain(notCalled);
        expect(world.forks.every(f => f.discarded === 1)).toBe(true);
      },
    );

    it.each(cases)(
      'enters $enter exactly at its deadline, and past it without the timetable enforced',
      async ({ enter, slowCall, to }) => {
        const onTime = setup({ enforceTimeTable: true });
        onTime.world.hooks[slowCall] = () => onTime.world.at(SLOT, TIMETABLE[enter]);
        await onTime.seq.work();
        expect(onTime.seq.outcomes).toEqual([{ slot: SLOT, published: true }]);

        const unenforced = setup({ enforceTimeTable: false });
        unenforced.world.hooks[slowCall] = () => unenforced.world.at(SLOT, to);
        await unenforced.seq.work();
        expect(unenforced.seq.outcomes).toEqual([{ slot: SLOT, published: true }]);
      },
    );

    it('gives up a slot of ours once when too late for the proposer check; a slot not ours is no outcome', async () => {
      const ours = setup({ enforceTimeTable: true });
      ours.world.at(SLOT, 3.5); // the next L1 block (1044 s) is still in the slot
      await ours.seq.work();
      await ours.seq.work();
      expect(ours.seq.outcomes).toEqual(
        skipped('PROPOSER_CHECK', 'too late to enter PROPOSER_CHECK: 3.50s into the slot, deadline 3.00s'),
      );
      expect(ours.world.canProposeCalls).toEqual([]);

      const theirs = setup({ enforceTimeTable: true });
      theirs.world.proposer = FAKE_OTHER_ATTESTER;
      theirs.world.at(SLOT, 3.5);
      await theirs.seq.work();
      await theirs.seq.work();
      expect(theirs.seq.outcomes).toEqual([]);
    });

    it('tells the block builder to stop adding txs once the attestation deadline comes', async () => {
      const seen: boolean[] = [];
      const { world, seq } = setup({ enforceTimeTable: true });
      world.hooks['buildBlock'] = () => {
        const { shouldStop } = world.buildCalls.at(-1)!;
        seen.push(shouldStop());
        world.at(SLOT, TIMETABLE.COLLECTING_ATTESTATIONS - 0.001);
        seen.push(shouldStop());
        world.at(SLOT, TIMETABLE.COLLECTING_ATTESTATIONS);
        seen.push(shouldStop());
      };
      await seq.work();
      expect(seen).toEqual([false, false, true]);
    });

    it('does not stop the block builder on time without the timetable enforced, only on abort', async () => {
      const seen: boolean[] = [];
      const controller = new AbortController();
      const { world, seq } = setup({ enforceTimeTable: false });
      world.hooks['buildBlock'] = () => {
        const { shouldStop } = world.buildCalls.at(-1)!;
        world.at(SLOT, 7.9);
        seen.push(shouldStop());
        controller.abort();
        seen.push(shouldStop());
      };
      await seq.work(controller.signal);
      expect(seen).toEqual([false, true]);
    });
  });

  it('stop() during attestation collection returns within 2 s, aborting the collection', async () => {
    const { world, seq } = setup();
    let sawAbort = false;
    let reached: () => void = () => {};
    const collecting = new Promise<void>(resolve => (reached = resolve));
    // Hangs until its signal aborts, as a committee that never answers would.
    world.collectResult = req =>
      new Promise((_resolve, reject) => {
        req.signal?.addEventListener('abort', () => {
          sawAbort = true;
          reject(new AbortedError('stopping'));
        });
        reached();
      });
    seq.start();
    await collecting;
    expect(seq.getState()).toBe('COLLECTING_ATTESTATIONS');

    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<'still collecting'>(resolve => {
      timer = setTimeout(() => resolve('still collecting'), 2_000);
    });
    const stopped = seq.stop().then(() => 'stopped' as const);
    expect(await Promise.race([stopped, tooLong])).toBe('stopped');
    clearTimeout(timer);

    expect(sawAbort).toBe(true);
    expect(world.proposeCalls).toEqual([]);
    expect(seq.outcomes).toEqual([]);
    expect(world.forks.map(f => f.discarded)).toEqual([1]);
    expect(seq.getState()).toBe('IDLE');
    expect(seq.isRunning()).toBe(false);
  });

  describe('with several validators', () => {
    const OTHER_COINBASE = '0x00000000000000000000000000000000000c0de2';
    const publisherAt = (world: FakeSequencerWorld, address: Hex): SequencerPublisher => ({
      ...world.publisher,
      address,
    });

    it("proposes for whichever of its attesters is the slot's proposer, with that validator's settings", async () => {
      const world0 = new FakeSequencerWorld();
      const second = publisherAt(world0, '0x000000000000000000000000000000000000b10d');
      const { world, seq } = setup(
        {},
        {
          validators: [
            { attester: FAKE_ATTESTER, coinbase: FAKE_COINBASE, feeRecipient: 1n, publishers: [world0.publisher] },
            { attester: FAKE_OTHER_ATTESTER, coinbase: OTHER_COINBASE, feeRecipient: 2n, publishers: [second] },
          ],
        },
      );
      world.proposer = FAKE_OTHER_ATTESTER;
      await seq.work();
      expect(world.buildCalls[0]!.globals.coinbase).toBe(OTHER_COINBASE);
      expect(world.buildCalls[0]!.globals.feeRecipient).toBe(2n);
      expect(world.canProposeCalls[0]!.account).toBe(second.address);
      expect(world.collectCalls[0]!.proposer).toBe(FAKE_OTHER_ATTESTER);
      expect(world0.proposeCalls).toHaveLength(1);
    });

    it('skips publishers without enough ETH, and the slot when none has', async () => {
      const world0 = new FakeSequencerWorld();
      const broke = publisherAt(world0, '0x000000000000000000000000000000000000dead');
      const funded = publisherAt(world0, '0x000000000000000000000000000000000000f00d');
      const offered: Hex[][] = [];
      const pickPublisher = (ps: readonly SequencerPublisher[]) => {
        offered.push(ps.map(p => p.address));
        return Promise.resolve(ps.find(p => p.address !== broke.address));
      };
      const validators = [
        { attester: FAKE_ATTESTER, coinbase: FAKE_COINBASE, feeRecipient: 1n, publishers: [broke, funded] },
      ];
      const { world, seq } = setup({}, { validators, pickPublisher });
      await seq.work();
      expect(offered).toEqual([[broke.address, funded.address]]);
      expect(world.canProposeCalls[0]!.account).toBe(funded.address);

      const poor = setup({}, { validators: [{ ...validators[0]!, publishers: [broke] }], pickPublisher });
      await poor.seq.work();
      expect(poor.seq.outcomes).toEqual([
        {
          slot: SLOT,
          published: false,
          state: 'PROPOSER_CHECK',
          reason: `no publisher of attester ${FAKE_ATTESTER} has enough ETH to publish`,
        },
      ]);
      expect(poor.world.canProposeCalls).toEqual([]);
    });
  });
});
