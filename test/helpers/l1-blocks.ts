import { encodeFunctionData, parseEventLogs, zeroAddress, type Address, type Hash, type Hex } from 'viem';

import { asL2BlockNumber, asSlot, asUnixSeconds } from '../../src/foundation/types/branded.js';
import {
  blobVersionedHashes,
  bytesToBlobs,
  computeBlobsHash,
  encodeBlobInput,
  sendBlobTransaction,
} from '../../src/l1/blobs/index.js';
import type { L1WalletClient } from '../../src/l1/clients.js';
import { InboxAbi, RollupAbi } from '../../src/l1/generated/index.js';
import { sendAndWait } from '../../src/l1/send.js';
import { asFr, FR_ZERO, frFromHex, frToHex, type Fr } from '../../src/types/fr.js';
import type { BlockHeader, GasFees, StateReference } from '../../src/types/header.js';
import { encodeHeader } from '../../src/types/header-codec.js';
import { encodeBlockBody, type L2Block } from '../../src/types/l2-block.js';
import { computeOutHash } from '../../src/types/messages.js';
import { randomSnapshot, randomTxEffect, TestRandom } from '../../src/types/testing/index.js';
import type { TxEffect } from '../../src/types/tx-effect.js';
import type { TestL1 } from './l1.js';

/** What to put in the next block; everything L1 checks is filled in by the publisher. */
export interface PrepareBlockOptions {
  /** The body (default: `txs` random tx effects). */
  body?: TxEffect[];
  /** Number of random tx effects when no body is given (default 2). */
  txs?: number;
  /** The state after the block (default random): pass the world state's when it applies the block. */
  state?: StateReference;
  coinbase?: Address;
  feeRecipient?: Fr;
  /** Bytes to publish in the blobs instead of the encoded body (to publish a malformed body). */
  blobPayload?: Uint8Array;
}

/** A block ready for the world state: header with every L1-checked field set, its blobs and its L1→L2 messages. */
export interface DraftBlock {
  header: BlockHeader;
  body: TxEffect[];
  blobs: Uint8Array[];
  versionedHashes: Hex[];
  /** The 16 leaves of the block's Inbox tree (zero-filled), as the world state appends them. */
  l1ToL2Messages: Fr[];
}

/** How to send a draft. */
export interface SendBlockOptions {
  /** The archive root after the block (default random). */
  archive?: Fr;
  /** Replace the encoded header (to publish one the node cannot decode). */
  rawHeader?: Hex;
}

/** A block accepted by the Rollup. */
export interface PublishedTestBlock {
  block: L2Block;
  l1TxHash: Hash;
  l1BlockNumber: bigint;
  l1BlockHash: Hash;
  versionedHashes: Hex[];
}

const PROPOSE_GAS = 3_000_000n;

/**
 * Publishes L2 blocks to a Rollup deployed with an empty committee (anyone may propose, no attestations), warping
 * anvil's time to a fresh slot for each. `prepare` + `send` let a caller compute the state and archive with a real
 * world state in between; `publish` does both with random state and archive.
 */
export class L1BlockPublisher {
  readonly rng: TestRandom;
  private readonly wallet: L1WalletClient;
  private readonly rollup: Address;
  private readonly inbox: Address;

  constructor(
    private readonly l1: TestL1,
    opts: { seed?: number; wallet?: L1WalletClient } = {},
  ) {
    this.rng = new TestRandom(opts.seed ?? 1);
    this.wallet = opts.wallet ?? l1.walletClient;
    this.rollup = l1.deployment.addresses.rollup;
    this.inbox = l1.deployment.addresses.inbox;
  }

  private read<T>(functionName: string, args: readonly unknown[] = [], address = this.rollup): Promise<T> {
    const abi = address === this.rollup ? RollupAbi : InboxAbi;
    const read = this.l1.publicClient.readContract as (args: unknown) => Promise<unknown>;
    return read({ address, abi, functionName, args }) as Promise<T>;
  }

  /** A uniformly random field element (`TestRandom.fr` favours edge values, which repeat). */
  uniqueFr(): Fr {
    return asFr(this.rng.bigint(253));
  }

  /** A random tx effect with a unique tx hash and first nullifier. */
  randomTxEffect(): TxEffect {
    const effect = randomTxEffect(this.rng);
    return { ...effect, txHash: this.uniqueFr(), nullifiers: [this.uniqueFr(), ...effect.nullifiers.slice(1)] };
  }

  /** Raw JSON-RPC to anvil (`evm_snapshot`, `evm_revert`, `evm_mine`…). */
  rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const request = this.l1.publicClient.request as (args: { method: string; params: unknown[] }) => Promise<unknown>;
    return request({ method, params }) as Promise<T>;
  }

  /** The L2 slot of the latest L1 block. */
  async currentSlot(): Promise<bigint> {
    const [genesis, duration, latest] = await Promise.all([
      this.read<bigint>('GENESIS_TIME'),
      this.read<bigint>('SLOT_DURATION'),
      this.l1.publicClient.getBlock({ blockTag: 'latest' }),
    ]);
    return (latest.timestamp - genesis) / duration;
  }

  /** Mines an L1 block at the start of `slot`. */
  async warpToSlot(slot: bigint): Promise<void> {
    const ts = await this.read<bigint>('getTimestampForSlot', [slot]);
    await this.l1.mineAt(ts);
  }

  /** The 16 leaves of L2 block `n`'s Inbox tree, zero-filled. */
  async inboxLeaves(n: bigint): Promise<Fr[]> {
    const count = Number(await this.read<bigint>('getMessageCount', [n], this.inbox));
    const leaves = await Promise.all(
      Array.from({ length: count }, (_, i) => this.read<Hex>('getLeaf', [n, BigInt(i)], this.inbox)),
    );
    return [...leaves.map(frFromHex), ...Array.from({ length: 16 - count }, () => FR_ZERO)];
  }

  /** The block a proposal at `ts` builds on: the pending tip, or the proven one when a prune is due by then. */
  private async tipAt(ts: bigint): Promise<bigint> {
    const [pending, proven] = await this.read<[bigint, bigint]>('getTips');
    try {
      await this.read('canProposeAtTime', [ts, await this.read<Hex>('archiveAt', [pending])]);
      return pending;
    } catch {
      return proven; // propose will prune first
    }
  }

  /** Builds the next block for the slot after the current one (the caller may fill the state). */
  async prepare(opts: PrepareBlockOptions = {}): Promise<DraftBlock> {
    const [version, slot] = await Promise.all([this.read<bigint>('VERSION'), this.currentSlot()]);
    const ts = await this.read<bigint>('getTimestampForSlot', [slot + 1n]);
    const pending = await this.tipAt(ts);
    const n = pending + 1n;
    const [lastArchive, inHash, l1ToL2Messages, gasFees] = await Promise.all([
      this.read<Hex>('archiveAt', [pending]),
      this.read<Hex>('getRoot', [n], this.inbox),
      this.inboxLeaves(n),
      // The Rollup's base fees for the slot (docs/fees.md): `propose` refuses any other.
      this.read<GasFees>('getBaseFeesAt', [ts]),
    ]);
    const body = opts.body ?? Array.from({ length: opts.txs ?? 2 }, () => this.randomTxEffect());
    const blobs = bytesToBlobs(opts.blobPayload ?? encodeBlockBody(body));
    const versionedHashes = blobVersionedHashes(blobs);
    const header: BlockHeader = {
      lastArchive: { root: frFromHex(lastArchive), nextAvailableLeafIndex: Number(n) },
      contentCommitment: {
        numTxs: body.length,
        blobsHash: frFromHex(computeBlobsHash(versionedHashes)),
        inHash: frFromHex(inHash),
        outHash: computeOutHash(body.flatMap(e => e.l2ToL1Messages)),
      },
      state: opts.state ?? {
        l1ToL2MessageTree: randomSnapshot(this.rng),
        noteHashTree: randomSnapshot(this.rng),
        nullifierTree: randomSnapshot(this.rng),
        publicDataTree: randomSnapshot(this.rng),
      },
      globalVariables: {
        chainId: BigInt(this.l1.anvil.chainId),
        version,
        blockNumber: asL2BlockNumber(n),
        slotNumber: asSlot(slot + 1n),
        timestamp: asUnixSeconds(ts),
        coinbase: opts.coinbase ?? zeroAddress,
        feeRecipient: opts.feeRecipient ?? FR_ZERO,
        gasFees: { feePerDaGas: gasFees.feePerDaGas, feePerL2Gas: gasFees.feePerL2Gas },
      },
      totalFees: 0n,
      totalManaUsed: 0n,
    };
    return { header, body, blobs, versionedHashes, l1ToL2Messages };
  }

  /** Sends `propose` for a draft in an L1 block at the draft's slot start; throws when the Rollup rejects it. */
  async send(draft: DraftBlock, opts: SendBlockOptions = {}): Promise<PublishedTestBlock> {
    const archive = opts.archive ?? this.uniqueFr();
    const header = opts.rawHeader ?? frToHexBytes(encodeHeader(draft.header));
    const data = encodeFunctionData({
      abi: RollupAbi,
      functionName: 'propose',
      args: [header, frToHex(archive), [], encodeBlobInput(draft.versionedHashes)],
    });
    await this.rpc('evm_setNextBlockTimestamp', [Number(draft.header.globalVariables.timestamp)]);
    const sent = await sendBlobTransaction(
      { publicClient: this.l1.publicClient, walletClient: this.wallet },
      { to: this.rollup, data, blobs: draft.blobs, gas: PROPOSE_GAS, label: 'propose' },
    );
    const n = draft.header.globalVariables.blockNumber;
    return {
      block: {
        header: draft.header,
        archive: { root: archive, nextAvailableLeafIndex: Number(n) + 1 },
        body: draft.body,
      },
      l1TxHash: sent.hash,
      l1BlockNumber: sent.receipt.blockNumber,
      l1BlockHash: sent.receipt.blockHash,
      versionedHashes: sent.versionedHashes,
    };
  }

  /** Prepares and sends the next block with random state and archive. */
  async publish(opts: PrepareBlockOptions & SendBlockOptions = {}): Promise<PublishedTestBlock> {
    return this.send(await this.prepare(opts), opts);
  }

  /** Publishes `count` blocks one after the other. */
  async publishMany(count: number, opts: PrepareBlockOptions = {}): Promise<PublishedTestBlock[]> {
    const out: PublishedTestBlock[] = [];
    for (let i = 0; i < count; i++) out.push(await this.publish(opts));
    return out;
  }

  /** Proves blocks `start..end` (one ended epoch) with the mock verifier. */
  async proveEpoch(start: bigint, end: bigint): Promise<Hash> {
    const [first, epochDuration, before, after] = await Promise.all([
      this.read<{ slotNumber: bigint }>('getBlock', [start]),
      this.read<bigint>('EPOCH_DURATION'),
      this.read<Hex>('archiveAt', [start - 1n]),
      this.read<Hex>('archiveAt', [end]),
    ]);
    const epoch = frToHex(asFr(first.slotNumber / epochDuration));
    return this.write(this.rollup, 'submitEpochRootProof', [
      start,
      end,
      [before, after, epoch, frToHex(FR_ZERO)],
      '0x',
    ]);
  }

  /** Calls `Rollup.prune()` (its proof window must have passed). */
  prune(): Promise<Hash> {
    return this.write(this.rollup, 'prune', []);
  }

  /** Sends an L1→L2 message through the Inbox; returns its leaf, global index and L2 block (tree). */
  async sendL2Message(content: Fr): Promise<{ leaf: Fr; index: bigint; l2BlockNumber: bigint }> {
    const recipient = { actor: frToHex(this.uniqueFr()), version: 1n };
    const hash = await this.write(this.inbox, 'sendL2Message', [recipient, frToHex(content), frToHex(FR_ZERO)]);
    const receipt = await this.l1.publicClient.getTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: InboxAbi, eventName: 'MessageSent', logs: receipt.logs });
    if (!event) throw new Error('sendL2Message emitted no MessageSent');
    return { leaf: frFromHex(event.args.hash), index: event.args.index, l2BlockNumber: event.args.l2BlockNumber };
  }

  private write(address: Address, functionName: string, args: readonly unknown[]): Promise<Hash> {
    const abi = address === this.rollup ? RollupAbi : InboxAbi;
    return sendAndWait(
      { publicClient: this.l1.publicClient, walletClient: this.wallet },
      { address, abi, functionName, args },
    );
  }
}

function frToHexBytes(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/** `header` with its `feeRecipient` word set to a value above the field: L1 accepts it, the node cannot decode it. */
export function undecodableHeader(header: BlockHeader): Hex {
  const raw = encodeHeader(header);
  raw.fill(0xff, 20 * 32, 21 * 32);
  return frToHexBytes(raw);
}
