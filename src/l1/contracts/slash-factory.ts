import { encodeFunctionData, getAddress, type Address, type Hex } from 'viem';

import type { L1PublicClient } from '../clients.js';
import { SlashFactoryAbi, SlashPayloadAbi } from '../generated/index.js';

/** One slash of a payload: up to `amount` of `attester`'s stake. */
export interface SlashActionArg {
  attester: Address;
  amount: bigint;
}

/**
 * The SlashFactory (created by the Slasher, `Slasher.SLASH_FACTORY`), typed: one payload address per list of
 * actions (CREATE2), deployed once by whoever comes first. Also reads a payload's actions.
 */
export class SlashFactoryContract {
  private readonly c;

  constructor(
    readonly client: L1PublicClient,
    readonly address: Address,
  ) {
    this.c = { address, abi: SlashFactoryAbi } as const;
  }

  /** Where the payload of `actions` tagged `tag` (nodes: the last epoch judged) is, or will be, deployed. */
  async getPayloadAddress(actions: readonly SlashActionArg[], tag: bigint): Promise<Address> {
    return getAddress(await this.client.readContract({ ...this.c, functionName: 'getAddress', args: [actions, tag] }));
  }

  /** Calldata of `createPayload(actions, tag)` (deploys it unless it exists). */
  encodeCreatePayload(actions: readonly SlashActionArg[], tag: bigint): Hex {
    return encodeFunctionData({ abi: SlashFactoryAbi, functionName: 'createPayload', args: [actions, tag] });
  }

  /** Whether a contract is deployed at `address`. */
  async isDeployed(address: Address): Promise<boolean> {
    const code = await this.client.getCode({ address });
    return code !== undefined && code !== '0x';
  }

  /** The actions of the payload at `payload` (any `ISlashPayload`). */
  async getActions(payload: Address): Promise<SlashActionArg[]> {
    const actions = await this.client.readContract({
      address: payload,
      abi: SlashPayloadAbi,
      functionName: 'getActions',
    });
    return actions.map(a => ({ attester: getAddress(a.attester), amount: a.amount }));
  }
}
