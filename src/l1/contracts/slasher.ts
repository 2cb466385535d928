import { encodeFunctionData, getAddress, type Address, type Hash, type Hex } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { RollupAbi, SlasherAbi } from '../generated/index.js';

/** One signed block digest as the Slasher takes it: the 800-byte header, the archive after it, the signature. */
export interface SignedBlockEvidence {
  header: Hex;
  archive: Hex;
  signature: { v: number; r: Hex; s: Hex };
}

/** The offences the Slasher tells apart (its `Offence` enum, in order). */
export const SLASHER_OFFENCES = ['duplicate_proposal', 'duplicate_attestation'] as const;
export type SlasherOffence = (typeof SLASHER_OFFENCES)[number];

/** One `EquivocationSlashed` log. */
export interface EquivocationSlashedLog {
  attester: Address;
  slot: bigint;
  offence: SlasherOffence;
  reporter: Address;
  /** Stake taken. */
  amount: bigint;
  /** Paid to the reporter. */
  reward: bigint;
  l1BlockNumber: bigint;
  l1TxHash: Hash;
}

/** The Slasher's voting constants (slashing by proposer votes) and its payload factory. */
export interface SlasherVoting {
  quorum: bigint;
  roundSize: bigint;
  executionDelayRounds: bigint;
  lifetimeRounds: bigint;
  slashFactory: Address;
}

/** One `SlashSignalled` log: a proposer signalled `payload` in `round`. */
export interface SlashSignalledLog {
  round: bigint;
  payload: Address;
  signaler: Address;
  l1BlockNumber: bigint;
  l1TxHash: Hash;
}

/** One `VotedSlash` log: an executed round took `amount` of `attester`'s stake. */
export interface VotedSlashLog {
  round: bigint;
  attester: Address;
  amount: bigint;
  l1BlockNumber: bigint;
  l1TxHash: Hash;
}

const offenceOf = (n: number): SlasherOffence => SLASHER_OFFENCES[n] ?? 'duplicate_attestation';

/** The Slasher (equivocation evidence checked on L1), typed. */
export class SlasherContract {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: SlasherAbi } as const;
  }

  /** Calldata of `slashEquivocation(a, b)`: slashes the one signer of two different digests for one slot. */
  encodeSlashEquivocation(a: SignedBlockEvidence, b: SignedBlockEvidence): Hex {
    return encodeFunctionData({ abi: SlasherAbi, functionName: 'slashEquivocation', args: [a, b] });
  }

  /** Whether `attester` was already slashed for `offence` at `slot`. */
  isSlashed(attester: Address, slot: bigint, offence: SlasherOffence): Promise<boolean> {
    const index = SLASHER_OFFENCES.indexOf(offence);
    return this.client.readContract({ ...this.c, functionName: 'isSlashed', args: [attester, slot, index] });
  }

  /** Stake taken per offence. */
  getPenalty(): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'PENALTY' });
  }

  /** `EquivocationSlashed` logs in `[from, to]`, in L1 order (removed ones left out). */
  async getSlashedLogs(from: bigint, to: bigint): Promise<EquivocationSlashedLog[]> {
    const logs = await this.client.getContractEvents({
      ...this.c,
      eventName: 'EquivocationSlashed',
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs
      .filter(l => !l.removed)
      .map(l => ({
        attester: getAddress(l.args.attester),
        slot: l.args.slot,
        offence: offenceOf(l.args.offence),
        reporter: getAddress(l.args.reporter),
        amount: l.args.amount,
        reward: l.args.reward,
        l1BlockNumber: l.blockNumber,
        l1TxHash: l.transactionHash,
      }));
  }

  /** The voting constants and the payload factory (immutables: read once by callers). */
  async getVoting(): Promise<SlasherVoting> {
    const read = <F extends 'QUORUM' | 'ROUND_SIZE' | 'EXECUTION_DELAY_ROUNDS' | 'LIFETIME_ROUNDS'>(functionName: F) =>
      this.client.readContract({ ...this.c, functionName });
    const [quorum, roundSize, executionDelayRounds, lifetimeRounds, slashFactory] = await Promise.all([
      read('QUORUM'),
      read('ROUND_SIZE'),
      read('EXECUTION_DELAY_ROUNDS'),
      read('LIFETIME_ROUNDS'),
      this.client.readContract({ ...this.c, functionName: 'SLASH_FACTORY' }),
    ]);
    return { quorum, roundSize, executionDelayRounds, lifetimeRounds, slashFactory: getAddress(slashFactory) };
  }

  /** The L1 account registered to propose (and signal) for `attester` (zero when it is not registered). */
  async proposerForAttester(attester: Address): Promise<Address> {
    const rollup = await this.client.readContract({ ...this.c, functionName: 'ROLLUP' });
    const proposer = await this.client.readContract({
      address: rollup,
      abi: RollupAbi,
      functionName: 'getProposerForAttester',
      args: [attester],
    });
    return getAddress(proposer);
  }

  /** Calldata of `signal(payload)`: the current slot's proposer votes for `payload` in the current round. */
  encodeSignal(payload: Address): Hex {
    return encodeFunctionData({ abi: SlasherAbi, functionName: 'signal', args: [payload] });
  }

  /** Calldata of `executeRound(round)`. */
  encodeExecuteRound(round: bigint): Hex {
    return encodeFunctionData({ abi: SlasherAbi, functionName: 'executeRound', args: [round] });
  }

  /** Whether the proposer of `slot` signalled. */
  hasSignalled(slot: bigint): Promise<boolean> {
    return this.client.readContract({ ...this.c, functionName: 'hasSignalled', args: [slot] });
  }

  /**
   * The leading payload of `round` (zero without signals), its signals, whether the round was executed, whether the
   * payload was vetoed or executed (in any round: a payload slashes once).
   */
  async getRound(round: bigint): Promise<{
    leader: Address;
    signals: bigint;
    executed: boolean;
    vetoed: boolean;
    payloadExecuted: boolean;
  }> {
    const [leader, executed] = await this.client.readContract({ ...this.c, functionName: 'getRound', args: [round] });
    const [signals, vetoed, payloadExecuted] = await Promise.all([
      this.client.readContract({ ...this.c, functionName: 'signalCount', args: [round, leader] }),
      this.client.readContract({ ...this.c, functionName: 'isVetoed', args: [leader] }),
      this.isPayloadExecuted(leader),
    ]);
    return { leader: getAddress(leader), signals, executed, vetoed, payloadExecuted };
  }

  /** Whether `payload` was executed (in any round). */
  isPayloadExecuted(payload: Address): Promise<boolean> {
    return this.client.readContract({ ...this.c, functionName: 'isPayloadExecuted', args: [payload] });
  }

  /** `SlashSignalled` logs in `[from, to]`, in L1 order. */
  async getSignalledLogs(from: bigint, to: bigint): Promise<SlashSignalledLog[]> {
    const logs = await this.client.getContractEvents({
      ...this.c,
      eventName: 'SlashSignalled',
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs
      .filter(l => !l.removed)
      .map(l => ({
        round: l.args.round,
        payload: getAddress(l.args.payload),
        signaler: getAddress(l.args.signaler),
        l1BlockNumber: l.blockNumber,
        l1TxHash: l.transactionHash,
      }));
  }

  /** `VotedSlash` logs in `[from, to]`, in L1 order. */
  async getVotedSlashLogs(from: bigint, to: bigint): Promise<VotedSlashLog[]> {
    const logs = await this.client.getContractEvents({
      ...this.c,
      eventName: 'VotedSlash',
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs
      .filter(l => !l.removed)
      .map(l => ({
        round: l.args.round,
        attester: getAddress(l.args.attester),
        amount: l.args.amount,
        l1BlockNumber: l.blockNumber,
        l1TxHash: l.transactionHash,
      }));
  }
}
