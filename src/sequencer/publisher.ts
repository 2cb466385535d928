import { bytesToHex, encodeFunctionData, toHex, type Address, type Hex, type TransactionReceipt } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { encodeBlobInput, getKzg } from '../l1/blobs/index.js';
import type { L1PublicClient } from '../l1/clients.js';
import { GovernanceProposerAbi, RollupAbi } from '../l1/generated/index.js';
import type { Attestation } from '../l1/proposal-digest.js';
import { decodeRevert } from '../l1/send.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import { frToHex } from '../types/fr.js';
import { encodeHeader } from '../types/header-codec.js';
import type { L2Block } from '../types/l2-block.js';
import type { SlotGuard } from './slot-guard.js';

/** A built block ready for L1: its blobs and the committee's attestations in committee order. */
export interface BlockProposal {
  block: L2Block;
  blobs: readonly Uint8Array[];
  versionedHashes: readonly Hex[];
  attestations: readonly Attestation[];
  /** Size of the epoch's committee (the first block of an epoch stores it on L1). */
  committeeSize: number;
}

/**
 * Gas limit of a propose: measured ~325k for a one-blob block with a committee of one, including storing the
 * committee. Estimating is not an option: the estimate would run at the latest block's time (often the previous
 * slot) and without the blobs.
 */
export function proposeGasLimit(p: Pick<BlockProposal, 'committeeSize' | 'versionedHashes' | 'attestations'>): bigint {
  return (
    600_000n +
    30_000n * BigInt(p.committeeSize) +
    10_000n * BigInt(p.attestations.length) +
    20_000n * BigInt(p.versionedHashes.length)
  );
}

/** The outcome of a publish attempt: the L1 receipt, or why the block was not published. */
export type PublishResult = { published: true; receipt: TransactionReceipt } | { published: false; reason: string };

/**
 * Sends blocks to L1: one EIP-4844 transaction per block calling `Rollup.propose` with the body in blobs. It
 * simulates first (a revert is reported by the contract's error name and nothing is sent), claims the slot in the
 * `SlotGuard` before sending, and lets the `L1TxSender` replace a stuck tx. When a governance payload is set, it
 * signals it in the same slot (a second tx from the proposer account, sent right after the block).
 */
export class Publisher {
  private readonly log: Logger;
  private governancePayload: Address | undefined;

  constructor(
    private readonly deps: {
      publicClient: L1PublicClient;
      sender: L1TxSender;
      rollup: Address;
      governanceProposer: Address;
      guard: SlotGuard;
    },
    opts: { governancePayload?: Address | undefined; logger?: Logger } = {},
  ) {
    this.log = opts.logger ?? createLogger('sequencer:publisher');
    this.governancePayload = opts.governancePayload;
  }

  /** The L1 account that sends the blocks (must be the proposer registered for our attester). */
  get address(): Address {
    return this.deps.sender.address;
  }

  /** Changes the governance payload signalled in our slots (`nodeAdmin_setConfig`); undefined stops signalling. */
  setGovernancePayload(payload: Address | undefined): void {
    this.governancePayload = payload;
  }

  /** Publishes a block unless L1 would refuse it; never two different blocks for one slot. */
  async propose(p: BlockProposal, deadline?: Date): Promise<PublishResult> {
    const { header, archive } = p.block;
    const slot = BigInt(header.globalVariables.slotNumber);
    const data = encodeFunctionData({
      abi: RollupAbi,
      functionName: 'propose',
      args: [
        bytesToHex(encodeHeader(header)),
        frToHex(archive.root),
        p.attestations.map(a => ({ v: a.v, r: a.r, s: a.s })),
        encodeBlobInput(p.versionedHashes),
      ],
    });
    try {
      // As L1 will run it: at the slot's time, with the blobs' versioned hashes visible to BLOBHASH. A raw
      // eth_call, since viem's `call` leaves the blob fields out.
      await this.deps.publicClient.request({
        method: 'eth_call',
        params: [
          {
            from: this.address,
            to: this.deps.rollup,
            data,
            blobVersionedHashes: [...p.versionedHashes],
            maxFeePerBlobGas: '0x1',
          } as never,
          'latest',
          {},
          { time: toHex(BigInt(header.globalVariables.timestamp)) } as never,
        ],
      });
    } catch (err) {
      return { published: false, reason: `L1 would refuse the block: ${decodeRevert(err)}` };
    }
    this.deps.guard.claim(slot, frToHex(archive.root));
    let receipt: TransactionReceipt;
    try {
      receipt = await this.deps.sender.send(
        { to: this.deps.rollup, data, blobs: p.blobs.map(b => bytesToHex(b)), kzg: getKzg(), gas: proposeGasLimit(p) },
        deadline,
      );
    } catch (err) {
      return { published: false, reason: `L1 tx failed: ${errorMessage(err)}` };
    }
    if (receipt.status !== 'success') {
      return { published: false, reason: `L1 tx ${receipt.transactionHash} reverted` };
    }
    this.log.info(`Published L2 block ${header.globalVariables.blockNumber}`, {
      slot,
      txs: p.block.body.length,
      l1Tx: receipt.transactionHash,
      l1Block: receipt.blockNumber,
      attestations: p.attestations.length,
    });
    await this.signalGovernance(slot);
    return { published: true, receipt };
  }

  /**
   * Prunes the unproven chain on L1 (its proof window passed), so that the next block builds on the proven tip.
   * Returns whether it did.
   */
  async prune(): Promise<boolean> {
    const data = encodeFunctionData({ abi: RollupAbi, functionName: 'prune' });
    try {
      await this.deps.publicClient.call({ account: this.address, to: this.deps.rollup, data });
      const receipt = await this.deps.sender.send({ to: this.deps.rollup, data, gas: 300_000n });
      this.log.info('Pruned the unproven chain on L1: its proof window passed', { l1Tx: receipt.transactionHash });
      return receipt.status === 'success';
    } catch (err) {
      this.log.warn('Could not prune the unproven chain', { error: decodeRevert(err) });
      return false;
    }
  }

  private async signalGovernance(slot: bigint): Promise<void> {
    const payload = this.governancePayload;
    if (!payload) return;
    const gp = { address: this.deps.governanceProposer, abi: GovernanceProposerAbi } as const;
    try {
      if (await this.deps.publicClient.readContract({ ...gp, functionName: 'hasSignalled', args: [slot] })) return;
      const data = encodeFunctionData({ ...gp, functionName: 'signal', args: [payload] });
      const receipt = await this.deps.sender.send({ to: gp.address, data, gas: 200_000n });
      this.log.info('Signalled governance payload', { payload, slot, status: receipt.status });
    } catch (err) {
      this.log.warn('Could not signal the governance payload', { payload, slot, error: decodeRevert(err) });
    }
  }
}
