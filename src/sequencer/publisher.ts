import { bytesToHex, type Address, type Hex, type TransactionReceipt } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { isAbortError } from '../foundation/timers/index.js';
import { encodeBlobInput, getKzg } from '../l1/blobs/index.js';
import type { GovernanceProposerContract, RollupContract } from '../l1/contracts/index.js';
import { decodeRevert } from '../l1/send.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import type { Attestation } from '../protocol/proposal-digest.js';
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
      rollup: Pick<RollupContract, 'encodePropose' | 'encodePrune' | 'simulateAt' | 'simulate' | 'blockAt' | 'address'>;
      governanceProposer: Pick<GovernanceProposerContract, 'hasSignalled' | 'encodeSignal' | 'address'>;
      sender: Pick<L1TxSender, 'send' | 'address'>;
      guard: Pick<SlotGuard, 'claim'>;
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

  /**
   * Publishes a block unless L1 would refuse it; never two different blocks for one slot. `deadline` ends the wait
   * for the receipt (the end of the slot); `signal` aborts it (the node is stopping).
   */
  async propose(p: BlockProposal, deadline: Date, signal?: AbortSignal): Promise<PublishResult> {
    const { header, archive } = p.block;
    const slot = BigInt(header.globalVariables.slotNumber);
    const { rollup } = this.deps;
    const data = rollup.encodePropose({
      header: bytesToHex(encodeHeader(header)),
      archive: frToHex(archive.root),
      attestations: p.attestations,
      blobInput: encodeBlobInput(p.versionedHashes),
    });
    try {
      // As L1 will run it: at the slot's time, with the blobs' versioned hashes visible to BLOBHASH.
      await rollup.simulateAt({
        from: this.address,
        data,
        timestamp: BigInt(header.globalVariables.timestamp),
        blobVersionedHashes: p.versionedHashes,
      });
    } catch (err) {
      return { published: false, reason: `L1 would refuse the block: ${decodeRevert(err)}` };
    }
    this.deps.guard.claim(slot, frToHex(archive.root));
    let receipt: TransactionReceipt;
    try {
      receipt = await this.deps.sender.send(
        { to: rollup.address, data, blobs: p.blobs.map(b => bytesToHex(b)), kzg: getKzg(), gas: proposeGasLimit(p) },
        { deadline, ...(signal ? { signal } : {}) },
      );
    } catch (err) {
      if (isAbortError(err)) throw err;
      return { published: false, reason: `L1 tx failed: ${errorMessage(err)}` };
    }
    if (receipt.status !== 'success') {
      const why = await this.revertReason(data, p.versionedHashes, receipt);
      return { published: false, reason: `L1 tx ${receipt.transactionHash} reverted${why}` };
    }
    this.log.info(`Published L2 block ${header.globalVariables.blockNumber}`, {
      slot,
      txs: p.block.body.length,
      l1Tx: receipt.transactionHash,
      l1Block: receipt.blockNumber,
      attestations: p.attestations.length,
    });
    await this.signalGovernance(slot, signal);
    return { published: true, receipt };
  }

  /**
   * Prunes the unproven chain on L1 (its proof window passed), so that the next block builds on the proven tip.
   * Returns whether it did.
   */
  async prune(signal?: AbortSignal): Promise<boolean> {
    const { rollup } = this.deps;
    const data = rollup.encodePrune();
    try {
      await rollup.simulate(this.address, data);
      const receipt = await this.deps.sender.send(
        { to: rollup.address, data, gas: 300_000n },
        signal ? { signal } : {},
      );
      this.log.info('Pruned the unproven chain on L1: its proof window passed', { l1Tx: receipt.transactionHash });
      return receipt.status === 'success';
    } catch (err) {
      if (isAbortError(err)) throw err;
      this.log.warn('Could not prune the unproven chain', { error: decodeRevert(err) });
      return false;
    }
  }

  /**
   * Why a mined propose reverted, as far as re-running it on its parent block's state, at its block's time, tells
   * (another tx in the same block may have changed what it saw): `: <error>`, or '' when the re-run passes.
   */
  private async revertReason(data: Hex, blobVersionedHashes: readonly Hex[], receipt: TransactionReceipt) {
    try {
      const { timestamp } = await this.deps.rollup.blockAt(receipt.blockNumber);
      await this.deps.rollup.simulateAt({
        from: this.address,
        data,
        timestamp,
        blobVersionedHashes,
        blockNumber: receipt.blockNumber - 1n,
      });
      return ` (it passes on its parent block's state; gas used ${receipt.gasUsed})`;
    } catch (err) {
      return `: ${decodeRevert(err)} (gas used ${receipt.gasUsed})`;
    }
  }

  private async signalGovernance(slot: bigint, signal?: AbortSignal): Promise<void> {
    const payload = this.governancePayload;
    if (!payload) return;
    const gp = this.deps.governanceProposer;
    try {
      if (await gp.hasSignalled(slot)) return;
      const data = gp.encodeSignal(payload);
      const receipt = await this.deps.sender.send({ to: gp.address, data, gas: 200_000n }, signal ? { signal } : {});
      this.log.info('Signalled governance payload', { payload, slot, status: receipt.status });
    } catch (err) {
      if (isAbortError(err)) throw err;
      this.log.warn('Could not signal the governance payload', { payload, slot, error: decodeRevert(err) });
    }
  }
}
