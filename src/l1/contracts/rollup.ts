import { encodeFunctionData, getAddress, toHex, type Address, type BlockTag, type Hash, type Hex } from 'viem';

import { asUnixSeconds } from '../../foundation/types/branded.js';
import type { GasFees } from '../../types/header.js';
import type { RollupEpochConstants } from '../../types/rollup-constants.js';
import type { L1PublicClient } from '../clients.js';
import { RollupAbi } from '../generated/index.js';

export type { RollupEpochConstants };

/** The Rollup's deployment constants that the node works with. */
export interface RollupConstants extends RollupEpochConstants {
  /** Slots after an epoch ends within which its proof must land. */
  proofSubmissionWindow: bigint;
  /** The rollup version (the `version` of every header and tx). */
  version: bigint;
  /** The L1 block the rollup was deployed in: where syncing starts. */
  l1BlockAtGenesis: bigint;
}

/** The addresses the Rollup knows of. */
export interface RollupLinkedAddresses {
  inbox: Address;
  outbox: Address;
  stakingAsset: Address;
  feeAsset: Address;
  verifier: Address;
  /** The Slasher (zero when none was set). */
  slasher: Address;
}

/** Which L1 state a read is made against: the latest block (default), a block number or a tag. */
export type L1ReadAt = { blockNumber: bigint } | { blockTag: BlockTag } | undefined;

/** One `L2BlockProposed` log. */
export interface ProposedLog {
  blockNumber: bigint;
  archive: Hex;
  versionedBlobHashes: readonly Hex[];
  l1BlockNumber: bigint;
  l1BlockHash: Hash;
  l1TxHash: Hash;
  logIndex: number;
}

/** The arguments of `Rollup.propose`. */
export interface ProposeArgs {
  /** `abi.encode(Header)`. */
  header: Hex;
  /** Archive root after the block. */
  archive: Hex;
  attestations: readonly { v: number; r: Hex; s: Hex }[];
  /** `abi.encodePacked(uint8 n, bytes32[n] versionedHashes)`. */
  blobInput: Hex;
}

/** The committee computation's reads (what `EpochCache` needs). */
export interface CommitteeReader {
  getSampleSeed(epoch: bigint): Promise<bigint>;
  attesterCountAt(ts: bigint): Promise<number>;
  attesterAtIndexAt(index: number, ts: bigint): Promise<Address>;
}

/** What the Rollup computes a block's base fees from (`FeeInputs`; docs/fees.md). */
export interface RollupFeeInputs {
  l1BaseFee: bigint;
  blobFee: bigint;
  excessMana: bigint;
}

/** One of the Rollup's L1 fee snapshots: L1's prices, and the first slot they price. */
export interface L1FeeSnapshot {
  fromSlot: bigint;
  baseFee: bigint;
  blobFee: bigint;
}

/** A decoded `L2BlockProposed` log (of `getContractEvents` or `getLogs`) as the node keeps it. */
export function toProposedLog(l: {
  args: { blockNumber: bigint; archive: Hex; versionedBlobHashes: readonly Hex[] };
  blockNumber: bigint;
  blockHash: Hash;
  transactionHash: Hash;
  logIndex: number;
}): ProposedLog {
  return {
    blockNumber: l.args.blockNumber,
    archive: l.args.archive,
    versionedBlobHashes: l.args.versionedBlobHashes,
    l1BlockNumber: l.blockNumber,
    l1BlockHash: l.blockHash,
    l1TxHash: l.transactionHash,
    logIndex: l.logIndex,
  };
}

/** In L1 order: by L1 block, then log index. */
export function byL1Position<T extends { l1BlockNumber: bigint; logIndex: number }>(a: T, b: T): number {
  return a.l1BlockNumber === b.l1BlockNumber ? a.logIndex - b.logIndex : a.l1BlockNumber < b.l1BlockNumber ? -1 : 1;
}

/**
 * The Rollup contract, typed: every read the node makes of it, the calldata of every transaction it sends to it,
 * and the simulation of a `propose` as L1 will run it. The one place that knows the Rollup's ABI outside
 * deployment (docs/l1-contracts.md is its interface).
 */
export class RollupContract implements CommitteeReader {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: RollupAbi } as const;
  }

  /** The deployment constants (immutables); read once per start. */
  async getConstants(): Promise<RollupConstants> {
    const read = this.client;
    const [genesisTime, slotDuration, epochDuration, target, window, version, l1Block] = await Promise.all([
      read.readContract({ ...this.c, functionName: 'GENESIS_TIME' }),
      read.readContract({ ...this.c, functionName: 'SLOT_DURATION' }),
      read.readContract({ ...this.c, functionName: 'EPOCH_DURATION' }),
      read.readContract({ ...this.c, functionName: 'TARGET_COMMITTEE_SIZE' }),
      read.readContract({ ...this.c, functionName: 'PROOF_SUBMISSION_WINDOW' }),
      read.readContract({ ...this.c, functionName: 'VERSION' }),
      read.readContract({ ...this.c, functionName: 'L1_BLOCK_AT_GENESIS' }),
    ]);
    return {
      genesisTime: asUnixSeconds(genesisTime),
      slotDuration,
      epochDuration,
      targetCommitteeSize: Number(target),
      proofSubmissionWindow: window,
      version,
      l1BlockAtGenesis: l1Block,
    };
  }

  /** The rollup version. */
  getVersion(): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'VERSION' });
  }

  /** The L1 block the rollup was deployed in. */
  getL1BlockAtGenesis(): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'L1_BLOCK_AT_GENESIS' });
  }

  /** The Inbox address. */
  async getInbox(): Promise<Address> {
    return getAddress(await this.client.readContract({ ...this.c, functionName: 'INBOX' }));
  }

  /** The contracts the Rollup was deployed with: Inbox, Outbox, staking and fee assets, proof verifier, slasher. */
  async getLinkedAddresses(): Promise<RollupLinkedAddresses> {
    const [inbox, outbox, stakingAsset, feeAsset, verifier, slasher] = await Promise.all([
      this.client.readContract({ ...this.c, functionName: 'INBOX' }),
      this.client.readContract({ ...this.c, functionName: 'OUTBOX' }),
      this.client.readContract({ ...this.c, functionName: 'STAKING_ASSET' }),
      this.client.readContract({ ...this.c, functionName: 'FEE_ASSET' }),
      this.client.readContract({ ...this.c, functionName: 'VERIFIER' }),
      this.client.readContract({ ...this.c, functionName: 'getSlasher' }),
    ]);
    return {
      inbox: getAddress(inbox),
      outbox: getAddress(outbox),
      stakingAsset: getAddress(stakingAsset),
      feeAsset: getAddress(feeAsset),
      verifier: getAddress(verifier),
      slasher: getAddress(slasher),
    };
  }

  /** The minimum stake of a validator, in base units of the staking asset. */
  getMinimumStake(): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'MINIMUM_STAKE' });
  }

  /** Pending and proven block numbers, as of `at` (default: the latest L1 block). */
  async getTips(at?: L1ReadAt): Promise<{ pending: bigint; proven: bigint }> {
    const [pending, proven] = await this.client.readContract({ ...this.c, functionName: 'getTips', ...at });
    return { pending, proven };
  }

  /** Archive root after block `n` (zero beyond the pending tip). */
  archiveAt(n: bigint): Promise<Hex> {
    return this.client.readContract({ ...this.c, functionName: 'archiveAt', args: [n] });
  }

  /** Whether the unproven blocks may be pruned at L1 time `ts`. */
  canPruneAtTime(ts: bigint): Promise<boolean> {
    return this.client.readContract({ ...this.c, functionName: 'canPruneAtTime', args: [ts] });
  }

  /**
   * For a block at L1 time `ts` building on `archive`, sent by `account`: its slot and block number. Throws with
   * the contract's error (decode it with `decodeRevert`) when the slot is taken or `archive` is not the tip.
   */
  async canProposeAtTime(ts: bigint, archive: Hex, account: Address): Promise<{ slot: bigint; blockNumber: bigint }> {
    const [slot, blockNumber] = await this.client.readContract({
      ...this.c,
      functionName: 'canProposeAtTime',
      args: [ts, archive],
      account,
    });
    return { slot, blockNumber };
  }

  /** What the base fees of a block at L1 time `ts` are computed from (from the current slot on). */
  async getFeeInputsAt(ts: bigint, at?: L1ReadAt): Promise<RollupFeeInputs> {
    const r = await this.client.readContract({ ...this.c, functionName: 'getFeeInputsAt', args: [ts], ...at });
    return { l1BaseFee: r.l1BaseFee, blobFee: r.blobFee, excessMana: r.excessMana };
  }

  /** The base fees a block at L1 time `ts` must carry, as the Rollup computes them. */
  async getBaseFeesAt(ts: bigint, at?: L1ReadAt): Promise<GasFees> {
    const r = await this.client.readContract({ ...this.c, functionName: 'getBaseFeesAt', args: [ts], ...at });
    return { feePerDaGas: r.feePerDaGas, feePerL2Gas: r.feePerL2Gas };
  }

  /** The Rollup's fee formula applied to `inputs` (a pure view). */
  async computeBaseFees(inputs: RollupFeeInputs): Promise<GasFees> {
    const r = await this.client.readContract({ ...this.c, functionName: 'computeBaseFees', args: [inputs] });
    return { feePerDaGas: r.feePerDaGas, feePerL2Gas: r.feePerL2Gas };
  }

  /** The two L1 fee snapshots the Rollup keeps: the one before the latest, and the latest. */
  async getL1FeeSnapshots(): Promise<{ previous: L1FeeSnapshot; latest: L1FeeSnapshot }> {
    const [previous, latest] = await this.client.readContract({ ...this.c, functionName: 'getL1FeeSnapshots' });
    const snap = (x: typeof previous): L1FeeSnapshot => ({
      fromSlot: BigInt(x.fromSlot),
      baseFee: x.baseFee,
      blobFee: x.blobFee,
    });
    return { previous: snap(previous), latest: snap(latest) };
  }

  /** Excess mana accumulated up to block `n` of the pending chain. */
  getExcessMana(n: bigint): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'getExcessMana', args: [n] });
  }

  /** Calldata of `updateL1FeeSnapshot()`. */
  encodeUpdateL1FeeSnapshot(): Hex {
    return encodeFunctionData({ abi: RollupAbi, functionName: 'updateL1FeeSnapshot' });
  }

  getSampleSeed(epoch: bigint): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'getSampleSeed', args: [epoch] });
  }

  async attesterCountAt(ts: bigint): Promise<number> {
    return Number(await this.client.readContract({ ...this.c, functionName: 'attesterCountAt', args: [ts] }));
  }

  attesterAtIndexAt(index: number, ts: bigint): Promise<Address> {
    return this.client.readContract({ ...this.c, functionName: 'attesterAtIndexAt', args: [BigInt(index), ts] });
  }

  /** `L2BlockProposed` logs in `[from, to]`, in L1 order (removed ones left out). */
  async getProposedLogs(from: bigint, to: bigint): Promise<ProposedLog[]> {
    const logs = await this.client.getContractEvents({
      ...this.c,
      eventName: 'L2BlockProposed',
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs
      .filter(l => !l.removed)
      .map(toProposedLog)
      .sort(byL1Position);
  }

  /** Calldata of `propose`. */
  encodePropose(p: ProposeArgs): Hex {
    return encodeFunctionData({
      abi: RollupAbi,
      functionName: 'propose',
      args: [p.header, p.archive, p.attestations.map(a => ({ v: a.v, r: a.r, s: a.s })), p.blobInput],
    });
  }

  /** Calldata of `prune`. */
  encodePrune(): Hex {
    return encodeFunctionData({ abi: RollupAbi, functionName: 'prune' });
  }

  /** Calldata of `submitEpochRootProof`. */
  encodeSubmitEpochRootProof(start: bigint, end: bigint, publicInputs: readonly Hex[], proof: Hex): Hex {
    return encodeFunctionData({
      abi: RollupAbi,
      functionName: 'submitEpochRootProof',
      args: [start, end, [...publicInputs], proof],
    });
  }

  /**
   * Runs `data` against the Rollup as L1 will run it in the block at `timestamp`, with `blobVersionedHashes` visible
   * to BLOBHASH: a raw `eth_call` with block overrides (viem's `call` leaves the blob fields out). Throws the revert.
   */
  async simulateAt(args: {
    from: Address;
    data: Hex;
    timestamp: bigint;
    blobVersionedHashes?: readonly Hex[];
    /** The state to run on (default: the latest block's). */
    blockNumber?: bigint;
  }): Promise<void> {
    const blobs = args.blobVersionedHashes ?? [];
    await this.client.request({
      method: 'eth_call',
      params: [
        {
          from: args.from,
          to: this.address,
          data: args.data,
          ...(blobs.length > 0 ? { blobVersionedHashes: [...blobs], maxFeePerBlobGas: '0x1' } : {}),
        } as never,
        args.blockNumber === undefined ? 'latest' : toHex(args.blockNumber),
        {},
        { time: toHex(args.timestamp) } as never,
      ],
    });
  }

  /** An L1 block's number and timestamp. */
  async blockAt(blockNumber: bigint): Promise<{ number: bigint; timestamp: bigint }> {
    const block = await this.client.getBlock({ blockNumber });
    return { number: block.number, timestamp: block.timestamp };
  }

  /** Runs `data` against the Rollup at the latest L1 state (as `from`); throws the revert. */
  async simulate(from: Address, data: Hex): Promise<void> {
    await this.client.call({ account: from, to: this.address, data });
  }
}
