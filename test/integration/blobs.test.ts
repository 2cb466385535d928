import { bytesToHex, hexToBytes, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAnvil, type Anvil } from '../../src/l1/anvil.js';
import { BeaconClient } from '../../src/l1/beacon/index.js';
import {
  blobsToBytes,
  bytesToBlobs,
  decodeBlobInput,
  encodeBlobInput,
  sendBlobTransaction,
  verifyBlobsAgainstHashes,
  type BlobTxResult,
} from '../../src/l1/blobs/index.js';
import { createL1PublicClient, createL1WalletClient, type L1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { asFr } from '../../src/types/fr.js';
import { decodeBlockBody, encodeBlockBody } from '../../src/types/l2-block.js';
import type { TxEffect } from '../../src/types/tx-effect.js';

/** A body big enough to need two blobs. */
function sampleBody(): TxEffect[] {
  return Array.from({ length: 80 }, (_, t) => ({
    txHash: asFr(1000 + t),
    transactionFee: BigInt(t) * 10n ** 15n,
    noteHashes: Array.from({ length: 60 }, (_, i) => asFr(BigInt(t) * 1_000_000n + BigInt(i) + 1n)),
    nullifiers: [asFr(5_000_000 + t)],
    l2ToL1Messages: t % 10 === 0 ? [asFr(77)] : [],
    publicDataWrites: [{ leafSlot: asFr(9 + t), value: asFr(t) }],
    publicLogs: t % 3 === 0 ? [[asFr(1), asFr(2), asFr(3)]] : [],
  }));
}

describe('blobs on anvil (Prague)', () => {
  let anvil: Anvil;
  let publicClient: L1PublicClient;
  let sent: BlobTxResult;
  const body = sampleBody();
  const payload = encodeBlockBody(body);

  beforeAll(async () => {
    anvil = await startAnvil();
    const opts = { rpcUrls: [anvil.url], chainId: anvil.chainId, pollingIntervalMs: 50 };
    publicClient = createL1PublicClient(opts);
    const walletClient = createL1WalletClient(opts, devAccount(1).privateKey);
    const blobs = bytesToBlobs(payload);
    expect(blobs.length).toBe(2);
    sent = await sendBlobTransaction(
      { publicClient, walletClient },
      // Any recipient: anvil does not care; the Rollup would read encodeBlobInput from the calldata.
      { to: devAccount(2).address, data: '0x', blobs, label: 'test blobs' },
    );
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  it('mines a type-3 transaction carrying the versioned hashes', async () => {
    expect(sent.receipt.status).toBe('success');
    expect(sent.receipt.blobGasUsed).toBe(2n * 131072n);
    const tx = await publicClient.getTransaction({ hash: sent.hash });
    expect(tx.type).toBe('eip4844');
    expect(tx.blobVersionedHashes).toEqual(sent.versionedHashes);
    expect(decodeBlobInput(encodeBlobInput(sent.versionedHashes))).toEqual(sent.versionedHashes);
  });

  it('fetches the blobs back through the beacon API by EL block number and hash, and decodes the body', async () => {
    const client = new BeaconClient([{ url: anvil.url }], { retries: 0 });
    const blobs = await client.getBlobs(sent.receipt.blockNumber, sent.versionedHashes);
    verifyBlobsAgainstHashes(blobs, sent.versionedHashes);
    const bytes = blobsToBytes(blobs);
    expect(Buffer.from(bytes).equals(payload)).toBe(true);
    expect(decodeBlockBody(bytes)).toEqual(body);

    const block = await publicClient.getBlock({ blockNumber: sent.receipt.blockNumber });
    const ref = { hash: block.hash, number: block.number, timestamp: block.timestamp };
    const reversed = [...sent.versionedHashes].reverse();
    const byHash = await client.getBlobs(ref, reversed);
    expect(byHash.map(b => bytesToHex(b))).toEqual([...blobs].reverse().map(b => bytesToHex(b)));
  });

  it('serves the same blobs by anvil_getBlobsByTransactionHash', async () => {
    const res = await fetch(anvil.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_getBlobsByTransactionHash', params: [sent.hash] }),
    });
    const { result } = (await res.json()) as { result: Hex[] };
    const blobs = result.map(b => hexToBytes(b));
    verifyBlobsAgainstHashes(blobs, sent.versionedHashes);
    expect(Buffer.from(blobsToBytes(blobs)).equals(payload)).toBe(true);
  });

  it('answers 410 on blob_sidecars and 404 for an unknown block (documented anvil behaviour)', async () => {
    const sidecars = await fetch(`${anvil.url}/eth/v1/beacon/blob_sidecars/${sent.receipt.blockNumber}`);
    expect(sidecars.status).toBe(410);
    const unknown = await fetch(`${anvil.url}/eth/v1/beacon/blobs/999999`);
    expect(unknown.status).toBe(404);
    const client = new BeaconClient([{ url: anvil.url }], { retries: 0 });
    await expect(client.getBlobs(999_999n, sent.versionedHashes)).rejects.toThrow(/not found on any consensus host/);
    await expect(client.getBlobs(0n, sent.versionedHashes)).rejects.toThrow(/#0 .*#1 /);
  });
});
