import { encodeFunctionData, type Address, type Hex } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { GovernanceProposerAbi } from '../generated/index.js';

/** The GovernanceProposer (payload signals by slot proposers), typed. */
export class GovernanceProposerContract {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: GovernanceProposerAbi } as const;
  }

  /** Whether the proposer of `slot` already signalled. */
  hasSignalled(slot: bigint): Promise<boolean> {
    return this.client.readContract({ ...this.c, functionName: 'hasSignalled', args: [slot] });
  }

  /** Signals for `payload` in round `round`. */
  signalCount(round: bigint, payload: Address): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'signalCount', args: [round, payload] });
  }

  /** The round of `slot`. */
  computeRound(slot: bigint): Promise<bigint> {
    return this.client.readContract({ ...this.c, functionName: 'computeRound', args: [slot] });
  }

  /** Calldata of `signal(payload)` (sent by the current slot's proposer). */
  encodeSignal(payload: Address): Hex {
    return encodeFunctionData({ abi: GovernanceProposerAbi, functionName: 'signal', args: [payload] });
  }
}
