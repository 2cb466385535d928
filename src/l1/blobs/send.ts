import type { Address, Hash, Hex, TransactionReceipt } from 'viem';

import { createLogger } from '../../foundation/log/index.js';
import type { L1PublicClient, L1WalletClient } from '../clients.js';
import { L1TxRevertedError, revertReason } from '../send.js';
import { blobVersionedHashes } from './hashes.js';
import { getKzg } from './kzg.js';

const log = createLogger('l1:blobs');

/** A call carrying blobs: one EIP-4844 transaction. */
export interface BlobTxRequest {
  to: Address;
  /** Calldata (e.g. the encoded `propose` call). */
  data: Hex;
  /** Blobs of 131072 bytes each, as made by `bytesToBlobs`. */
  blobs: readonly Uint8Array[];
  /** Cap on the blob base fee; default twice the current blob base fee, at least 1 gwei. */
  maxFeePerBlobGas?: bigint;
  /** Gas limit; estimated by the node when absent. */
  gas?: bigint;
  /** Human-readable name of the call for errors (default `blob tx`). */
  label?: string;
}

/** A mined blob transaction. */
export interface BlobTxResult {
  hash: Hash;
  receipt: TransactionReceipt;
  /** The versioned hash of each blob, in order (what `blobhash(i)` returns on L1). */
  versionedHashes: Hex[];
}

const ONE_GWEI = 1_000_000_000n;

/**
 * Sends `request` as an EIP-4844 (type 3) transaction from the wallet's account (KZG commitments and proofs from
 * c-kzg) and waits for its receipt. Throws `L1TxRevertedError` when it is rejected or reverts.
 */
export async function sendBlobTransaction(
  c: { publicClient: L1PublicClient; walletClient: L1WalletClient },
  request: BlobTxRequest,
): Promise<BlobTxResult> {
  const label = request.label ?? 'blob tx';
  const versionedHashes = blobVersionedHashes(request.blobs);
  let hash: Hash | undefined;
  try {
    const maxFeePerBlobGas = request.maxFeePerBlobGas ?? (await defaultMaxFeePerBlobGas(c.publicClient));
    hash = await c.walletClient.sendTransaction({
      account: c.walletClient.account,
      chain: c.walletClient.chain,
      type: 'eip4844',
      to: request.to,
      data: request.data,
      blobs: [...request.blobs],
      kzg: getKzg(),
      maxFeePerBlobGas,
      ...(request.gas !== undefined ? { gas: request.gas } : {}),
    });
    log.debug('Blob transaction sent', { hash, blobs: request.blobs.length, label });
    const receipt = await c.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new L1TxRevertedError(label, 'reverted on chain', hash);
    return { hash, receipt, versionedHashes };
  } catch (err) {
    if (err instanceof L1TxRevertedError) throw err;
    throw new L1TxRevertedError(label, revertReason(err), hash);
  }
}

async function defaultMaxFeePerBlobGas(publicClient: L1PublicClient): Promise<bigint> {
  const current = await publicClient.getBlobBaseFee();
  const doubled = current * 2n;
  return doubled > ONE_GWEI ? doubled : ONE_GWEI;
}
