import type { Address } from 'viem';

import { asUnixSeconds } from '../foundation/types/branded.js';
import type { L1PublicClient } from '../l1/clients.js';
import { RollupAbi } from '../l1/generated/index.js';
import type { RollupTimeConstants } from './time.js';

/** The Rollup's committee constants. */
export interface RollupEpochConstants extends RollupTimeConstants {
  targetCommitteeSize: number;
}

/** Reads what committee computation needs from the Rollup contract. */
export class RollupEpochReader {
  private readonly rollup;

  constructor(
    private readonly client: L1PublicClient,
    address: Address,
  ) {
    this.rollup = { address, abi: RollupAbi } as const;
  }

  async constants(): Promise<RollupEpochConstants> {
    const [genesisTime, slotDuration, epochDuration, target] = await Promise.all([
      this.client.readContract({ ...this.rollup, functionName: 'GENESIS_TIME' }),
      this.client.readContract({ ...this.rollup, functionName: 'SLOT_DURATION' }),
      this.client.readContract({ ...this.rollup, functionName: 'EPOCH_DURATION' }),
      this.client.readContract({ ...this.rollup, functionName: 'TARGET_COMMITTEE_SIZE' }),
    ]);
    return {
      genesisTime: asUnixSeconds(genesisTime),
      slotDuration,
      epochDuration,
      targetCommitteeSize: Number(target),
    };
  }

  /** The seed of an epoch (`getSampleSeed`). */
  sampleSeed(epoch: bigint): Promise<bigint> {
    return this.client.readContract({ ...this.rollup, functionName: 'getSampleSeed', args: [epoch] });
  }

  /** Size of the active set as of the last L1 block before `ts`. */
  async attesterCountAt(ts: bigint): Promise<number> {
    return Number(await this.client.readContract({ ...this.rollup, functionName: 'attesterCountAt', args: [ts] }));
  }

  /** Attester at `index` of the active set as of the last L1 block before `ts`. */
  attesterAtIndexAt(index: number, ts: bigint): Promise<Address> {
    return this.client.readContract({ ...this.rollup, functionName: 'attesterAtIndexAt', args: [BigInt(index), ts] });
  }

  /** Timestamp of the latest L1 block: the rollup's notion of "now". */
  async latestTimestamp(): Promise<bigint> {
    return (await this.client.getBlock({ blockTag: 'latest' })).timestamp;
  }
}
