import { encodeFunctionData, getAddress, type Address, type Hash, type Hex } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { SlasherAbi } from '../generated/index.js';

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
}
