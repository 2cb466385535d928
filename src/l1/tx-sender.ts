import {
  BaseError,
  HttpRequestError,
  keccak256,
  LimitExceededRpcError,
  parseTransaction,
  serializeTransaction,
  TimeoutError,
  type Address,
  type Hash,
  type Hex,
  type Kzg,
  type TransactionReceipt,
  type TransactionSerializable,
} from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { systemClock, type Clock } from '../foundation/time/index.js';
import { sleep, throwIfAborted } from '../foundation/timers/index.js';
import type { L1PublicClient, L1WalletClient } from './clients.js';
import { decodeRevert, L1TxRevertedError } from './send.js';

/** What to send: a call, optionally carrying blobs (EIP-4844). */
export interface L1TxRequest {
  to: Address;
  data: Hex;
  blobs?: readonly Hex[];
  kzg?: Kzg;
  /** Gas limit; estimated (plus 20%) when absent. */
  gas?: bigint;
}

export interface L1TxSenderConfig {
  /** How often to poll for the receipt (SEQ_VIEM_POLLING_INTERVAL_TIME). */
  pollingIntervalMs: number;
  /** How long a tx may sit unmined before it is replaced with higher fees (SEQ_PUBLISH_RETRY_INTERVAL_MS). */
  stallTimeMs: number;
  /** Replacements before giving up. */
  maxReplacements: number;
  /** The clock deadlines are read on (the node's L1 clock; the wall clock by default). */
  clock?: Clock;
  /** Extra tries of `eth_sendRawTransaction` after a transient failure (HTTP 5xx/429, network, timeout); default 5. */
  sendRetries?: number;
  /** First pause before such a retry (default 200 ms); it doubles per failure. */
  sendRetryDelayMs?: number;
}

/** Per-send limits: when to stop waiting, and a signal that aborts the wait (the node is stopping). */
export interface L1SendOptions {
  /** Overall deadline on the sender's clock (e.g. the end of the slot); the sender stops waiting after it. */
  deadline?: Date | undefined;
  signal?: AbortSignal;
}

/** An L1 transaction that was not mined: timed out, dropped or reverted. */
export class L1TxFailedError extends NodeError {
  constructor(message: string, context: Record<string, unknown>) {
    super('L1_TX_FAILED', message, context);
  }
}

interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  maxFeePerBlobGas?: bigint;
}

/** Receipt lookups, one polling interval apart, before a used nonce is blamed on another tx. */
const NONCE_USED_RECEIPT_TRIES = 10;

// A replacement must raise every fee cap: by 10% for gas (EIP-1559 pools) and 100% for blob gas (EIP-4844 pools).
const bump = (v: bigint, percent: bigint) => v + (v * percent + 99n) / 100n;

/**
 * Sends L1 transactions and sees them mined: polls for the receipt, and when a tx is stuck for `stallTimeMs`,
 * replaces it (same nonce) with higher fees, up to `maxReplacements` times. Whichever of the versions is mined
 * is returned. One nonce at a time per sender: a `send` made while another is under way waits for it.
 */
export class L1TxSender {
  private readonly log: Logger;
  private readonly clock: Clock;
  // Sends queue behind each other: the publisher and the slasher may share a key, and each send owns a nonce.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly publicClient: L1PublicClient,
    private readonly walletClient: L1WalletClient,
    private readonly config: L1TxSenderConfig,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('l1:tx');
    this.clock = config.clock ?? systemClock;
  }

  get address(): Address {
    return this.walletClient.account.address;
  }

  /**
   * Sends `req` and resolves with the receipt of whichever version was mined (status may be 'reverted'). Rejects
   * with `AbortedError` as soon as `opts.signal` fires, with `L1TxRevertedError` when the gas estimate reverts (no
   * `req.gas`), and with `L1TxFailedError` when no version is mined in time.
   */
  send(req: L1TxRequest, opts: L1SendOptions = {}): Promise<TransactionReceipt> {
    const run = this.queue.then(() => this.sendNow(req, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(req: L1TxRequest, opts: L1SendOptions): Promise<TransactionReceipt> {
    const { deadline, signal } = opts;
    throwIfAborted(signal);
    const nonce = await this.publicClient.getTransactionCount({ address: this.address, blockTag: 'pending' });
    const gas = req.gas ?? (await this.estimateGas(req));
    let fees = await this.initialFees(req);
    const sent: Hash[] = [];
    for (let attempt = 0; ; attempt++) {
      const hash = await this.sendOnce(req, nonce, gas, fees, opts);
      sent.push(hash);
      this.log.debug('Sent L1 tx', { hash, nonce, attempt, maxFeePerGas: fees.maxFeePerGas });
      const receipt = await this.waitForAny(sent, nonce, deadline, signal);
      if (receipt) return receipt;
      if (deadline && this.clock.nowMs() >= deadline.getTime()) {
        throw new L1TxFailedError(`L1 tx with nonce ${nonce} not mined before the deadline`, { sent, nonce });
      }
      if (attempt >= this.config.maxReplacements) {
        throw new L1TxFailedError(`L1 tx with nonce ${nonce} not mined after ${attempt} replacements`, { sent, nonce });
      }
      fees = {
        maxFeePerGas: bump(fees.maxFeePerGas, 10n),
        maxPriorityFeePerGas: bump(fees.maxPriorityFeePerGas, 10n),
        ...(fees.maxFeePerBlobGas !== undefined ? { maxFeePerBlobGas: bump(fees.maxFeePerBlobGas, 100n) } : {}),
      };
      this.log.warn('L1 tx stuck; replacing it with higher fees', { nonce, stuck: hash, ...fees });
    }
  }

  /** The estimate plus 20%; a call that would revert is refused here, naming the contract's error. */
  private async estimateGas(req: L1TxRequest): Promise<bigint> {
    let estimate: bigint;
    try {
      estimate = await this.publicClient.estimateGas({
        account: this.walletClient.account,
        to: req.to,
        data: req.data,
        ...(req.blobs ? { blobs: req.blobs, kzg: req.kzg } : {}),
      });
    } catch (err) {
      if (isTransient(err)) throw err;
      throw new L1TxRevertedError(`${req.data.slice(0, 10)} to ${req.to}`, decodeRevert(err));
    }
    return (estimate * 120n) / 100n;
  }

  private async initialFees(req: L1TxRequest): Promise<Fees> {
    const { maxFeePerGas, maxPriorityFeePerGas } = await this.publicClient.estimateFeesPerGas();
    const priority = maxPriorityFeePerGas > 0n ? maxPriorityFeePerGas : 1_000_000_000n;
    const fees: Fees = {
      maxFeePerGas: maxFeePerGas > priority ? maxFeePerGas : priority * 2n,
      maxPriorityFeePerGas: priority,
    };
    if (req.blobs && req.blobs.length > 0) {
      const blobBase = await this.publicClient.getBlobBaseFee();
      fees.maxFeePerBlobGas = blobBase * 2n > 1_000_000_000n ? blobBase * 2n : 1_000_000_000n;
    }
    return fees;
  }

  /**
   * Signs the tx here (so its hash is known before any RPC answers) and sends the raw bytes, retrying transient
   * failures with backoff. A retry of a tx the first try did deliver is answered "already known" (or, once mined,
   * "nonce too low"): that counts as sent.
   */
  private async sendOnce(req: L1TxRequest, nonce: number, gas: bigint, fees: Fees, opts: L1SendOptions): Promise<Hash> {
    const { raw, hash } = await this.sign(req, nonce, gas, fees);
    let delay = this.config.sendRetryDelayMs ?? 200;
    const retries = this.config.sendRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(opts.signal);
      try {
        const answered = await this.publicClient.request(
          { method: 'eth_sendRawTransaction', params: [raw] },
          { retryCount: 0 },
        );
        if (answered.toLowerCase() !== hash.toLowerCase()) {
          this.log.warn('L1 RPC answered a different tx hash than the one signed', { signed: hash, answered });
        }
        return hash;
      } catch (err) {
        if (isAlreadyKnown(err)) return hash;
        if (isNonceTooLow(err) && (await this.isKnown(hash))) return hash;
        const pastDeadline = opts.deadline !== undefined && this.clock.nowMs() + delay >= opts.deadline.getTime();
        if (!isTransient(err) || attempt >= retries || pastDeadline) throw err;
        this.log.warn('Sending the L1 tx failed; retrying', {
          hash,
          nonce,
          attempt,
          retryInMs: delay,
          error: short(err),
        });
        await sleep(delay, opts.signal);
        delay *= 2;
      }
    }
  }

  private async sign(req: L1TxRequest, nonce: number, gas: bigint, fees: Fees): Promise<{ raw: Hex; hash: Hash }> {
    const { account, chain } = this.walletClient;
    if (!account.signTransaction) throw new Error(`L1 account ${account.address} cannot sign locally`);
    const { maxFeePerGas, maxPriorityFeePerGas, maxFeePerBlobGas } = fees;
    const base = { chainId: chain.id, to: req.to, data: req.data, nonce, gas, maxFeePerGas, maxPriorityFeePerGas };
    if (!req.blobs) {
      const raw = await account.signTransaction({ ...base, type: 'eip1559' });
      return { raw, hash: keccak256(raw) };
    }
    const raw = await account.signTransaction({
      ...base,
      type: 'eip4844',
      blobs: req.blobs,
      maxFeePerBlobGas: maxFeePerBlobGas ?? 1_000_000_000n,
      ...(req.kzg ? { kzg: req.kzg } : {}),
    });
    // A blob tx's hash covers the signed payload without the blobs' network wrapper.
    const tx = parseTransaction(raw);
    const signature = { r: tx.r!, s: tx.s!, yParity: tx.yParity! };
    const hash = keccak256(serializeTransaction({ ...tx, sidecars: false } as TransactionSerializable, signature));
    return { raw, hash };
  }

  private async isKnown(hash: Hash): Promise<boolean> {
    return this.publicClient
      .getTransaction({ hash })
      .then(() => true)
      .catch(() => false);
  }

  /**
   * The nonce is used: most likely by one of ours, mined between the two reads, or whose receipt the RPC failed to
   * serve (an HTTP error, a node that counts the nonce a moment before it serves the receipt). Looks for a receipt a
   * few more times before concluding another tx took the nonce.
   */
  private async receiptOnceNonceUsed(
    hashes: readonly Hash[],
    signal: AbortSignal | undefined,
  ): Promise<TransactionReceipt | undefined> {
    for (let attempt = 0; attempt < NONCE_USED_RECEIPT_TRIES; attempt++) {
      for (const hash of hashes) {
        const receipt = await this.publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
        if (receipt) return receipt;
      }
      await sleep(this.config.pollingIntervalMs, signal);
    }
    return undefined;
  }

  /** Polls until one of `hashes` has a receipt, the nonce was used by another tx, or `stallTimeMs` passes. */
  private async waitForAny(
    hashes: readonly Hash[],
    nonce: number,
    deadline: Date | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TransactionReceipt | undefined> {
    const until = Math.min(this.clock.nowMs() + this.config.stallTimeMs, deadline?.getTime() ?? Infinity);
    for (;;) {
      throwIfAborted(signal);
      for (const hash of hashes) {
        try {
          return await this.publicClient.getTransactionReceipt({ hash });
        } catch {
          // not mined (yet)
        }
      }
      const mined = await this.publicClient.getTransactionCount({ address: this.address, blockTag: 'latest' });
      if (mined > nonce) {
        const receipt = await this.receiptOnceNonceUsed(hashes, signal);
        if (receipt) return receipt;
        throw new L1TxFailedError(`nonce ${nonce} of ${this.address} was used by another transaction`, { hashes });
      }
      if (this.clock.nowMs() >= until) return undefined;
      await sleep(this.config.pollingIntervalMs, signal);
    }
  }
}

const rpcDetails = (err: unknown): string =>
  err instanceof BaseError ? `${err.details} ${err.shortMessage}` : err instanceof Error ? err.message : String(err);

const short = (err: unknown): string => (err instanceof BaseError ? err.shortMessage : rpcDetails(err));

/** The node already has this exact tx (geth "already known", anvil "already imported", Nethermind "AlreadyKnown"). */
function isAlreadyKnown(err: unknown): boolean {
  return /already ?(known|imported|exists)/i.test(rpcDetails(err));
}

function isNonceTooLow(err: unknown): boolean {
  return /nonce too low/i.test(rpcDetails(err));
}

/** Worth retrying: the request may not have reached the node, or the node was busy (HTTP 5xx/429, network, timeout). */
function isTransient(err: unknown): boolean {
  if (!(err instanceof BaseError)) return false;
  const cause = err.walk(
    e => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof LimitExceededRpcError,
  );
  if (cause instanceof HttpRequestError)
    return cause.status === undefined || cause.status === 429 || cause.status >= 500;
  return cause instanceof TimeoutError || cause instanceof LimitExceededRpcError;
}
