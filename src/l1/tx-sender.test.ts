import type { Hex } from 'viem';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startFlakyL1, type FaultDecision, type FlakyL1 } from '../../test/helpers/flaky-l1.js';
import { startTestL1 } from '../../test/helpers/l1.js';
import { AbortedError } from '../foundation/timers/index.js';
import { startAnvil, type Anvil } from './anvil.js';
import { getKzg } from './blobs/index.js';
import { createL1PublicClient, createL1WalletClient, type L1PublicClient } from './clients.js';
import { RollupContract } from './contracts/index.js';
import { devAccount } from './dev-accounts.js';
import { L1TxRevertedError } from './send.js';
import { L1TxFailedError, L1TxSender } from './tx-sender.js';

describe('L1TxSender', () => {
  let anvil: Anvil;
  let client: L1PublicClient;
  let sender: L1TxSender;
  const rpc = (method: string, params: unknown[] = []) =>
    client.request({ method: method as 'eth_chainId', params: params as never });

  beforeEach(async () => {
    anvil = await startAnvil();
    const opts = { rpcUrls: [anvil.url], chainId: anvil.chainId, pollingIntervalMs: 20 };
    client = createL1PublicClient(opts);
    sender = new L1TxSender(client, createL1WalletClient(opts, devAccount(0).privateKey), {
      pollingIntervalMs: 20,
      stallTimeMs: 300,
      maxReplacements: 3,
    });
  });
  afterEach(async () => {
    await anvil.stop();
  });

  it('sends and returns the receipt', async () => {
    const receipt = await sender.send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    expect(receipt.status).toBe('success');
  });

  it('queues sends made at once (the publisher and the slasher share a key): each gets its own nonce, all mined', async () => {
    const to = devAccount(1).address;
    const receipts = await Promise.all([0, 1, 2].map(() => sender.send({ to, data: '0x', gas: 21_000n })));
    expect(receipts.map(r => r.status)).toEqual(['success', 'success', 'success']);
    const txs = await Promise.all(receipts.map(r => client.getTransaction({ hash: r.transactionHash })));
    const nonces = txs.map(t => t.nonce);
    expect(new Set(nonces).size).toBe(3);
    expect(nonces).toEqual([...nonces].sort((a, b) => a - b));
  });

  it('replaces a stuck tx with higher fees (same nonce) and returns the one that was mined', async () => {
    await rpc('evm_setAutomine', [false]);
    const pending = sender.send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    // Mine only after the sender has replaced the tx at least once (the pool holds one tx: the replacement).
    const first = await waitForPoolTx(client);
    const replacement = await waitForPoolTx(client, first.hash);
    expect(replacement.hash).not.toBe(first.hash);
    expect(BigInt(replacement.maxFeePerGas)).toBeGreaterThan(BigInt(first.maxFeePerGas));
    await rpc('evm_mine');
    const receipt = await pending;
    expect(receipt.transactionHash).toBe(replacement.hash);
    expect(receipt.status).toBe('success');
  });

  it('gives up with a typed error after the last replacement', async () => {
    await rpc('evm_setAutomine', [false]);
    const s = new L1TxSender(
      client,
      createL1WalletClient({ rpcUrls: [anvil.url], chainId: 31337 }, devAccount(2).privateKey),
      {
        pollingIntervalMs: 20,
        stallTimeMs: 100,
        maxReplacements: 1,
      },
    );
    await expect(s.send({ to: devAccount(1).address, data: '0x', gas: 21_000n })).rejects.toBeInstanceOf(
      L1TxFailedError,
    );
  });

  it('sends a dropped tx again with higher fees, and returns the one that was mined', async () => {
    await rpc('evm_setAutomine', [false]);
    const pending = sender.send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    const first = await waitForPoolTx(client);
    await rpc('anvil_dropTransaction', [first.hash]);
    const again = await waitForPoolTx(client, first.hash);
    expect(BigInt(again.maxFeePerGas)).toBeGreaterThanOrEqual((BigInt(first.maxFeePerGas) * 110n) / 100n);
    await rpc('evm_mine');
    const receipt = await pending;
    expect(receipt.transactionHash).toBe(again.hash);
    expect(receipt.status).toBe('success');
  });

  it('replaces a stuck blob tx doubling its blob fee cap, and keeps the blobs', async () => {
    await rpc('evm_setAutomine', [false]);
    const blob: Hex = `0x01${'00'.repeat(131_071)}`;
    const pending = sender.send({ to: devAccount(1).address, data: '0x', gas: 50_000n, blobs: [blob], kzg: getKzg() });
    const first = await waitForPoolTx(client);
    const replacement = await waitForPoolTx(client, first.hash);
    expect(BigInt(replacement.maxFeePerBlobGas!)).toBeGreaterThanOrEqual(2n * BigInt(first.maxFeePerBlobGas!));
    await rpc('evm_mine');
    const receipt = await pending;
    expect(receipt.transactionHash).toBe(replacement.hash);
    const blobs = (await rpc('anvil_getBlobsByTransactionHash', [receipt.transactionHash])) as unknown as Hex[];
    expect(blobs[0]?.toLowerCase()).toBe(blob);
  });

  it('stops waiting at the deadline with a typed error naming the nonce', async () => {
    await rpc('evm_setAutomine', [false]);
    const deadline = new Date(Date.now() + 200);
    const err = await sender
      .send({ to: devAccount(1).address, data: '0x', gas: 21_000n }, { deadline })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(L1TxFailedError);
    expect((err as Error).message).toMatch(/nonce 0 not mined before the deadline/);
  });

  it('rejects with AbortedError when the signal fires while it waits for the receipt', async () => {
    await rpc('evm_setAutomine', [false]);
    // A wait that would last an hour: only the abort can end it.
    const patient = new L1TxSender(
      client,
      createL1WalletClient({ rpcUrls: [anvil.url], chainId: anvil.chainId }, devAccount(3).privateKey),
      {
        pollingIntervalMs: 20,
        stallTimeMs: 3_600_000,
        maxReplacements: 0,
      },
    );
    const ac = new AbortController();
    const pending = patient.send({ to: devAccount(1).address, data: '0x', gas: 21_000n }, { signal: ac.signal });
    await waitForPoolTx(client);
    ac.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  it('returns a mined revert as a receipt with status "reverted"', async () => {
    // A call into an account whose code is a bare REVERT: sent with a gas limit, so it is not estimated first.
    await rpc('anvil_setCode', [devAccount(5).address, '0x60006000fd']);
    const receipt = await sender.send({ to: devAccount(5).address, data: '0x12345678', gas: 50_000n });
    expect(receipt.status).toBe('reverted');
  });
});

type PoolTx = { hash: Hex; maxFeePerGas: Hex; maxFeePerBlobGas?: Hex };

/** The pool's tx with nonce `nonce` of the (single) sender, if any. */
async function poolTx(client: L1PublicClient, nonce = 0): Promise<PoolTx | undefined> {
  const content = (await client.request({ method: 'txpool_content' as 'eth_chainId' })) as unknown as {
    pending: Record<string, Record<string, PoolTx>>;
  };
  return Object.values(content.pending)[0]?.[String(nonce)];
}

async function waitForPoolTx(client: L1PublicClient, other?: Hex): Promise<PoolTx> {
  for (;;) {
    const tx = await poolTx(client);
    if (tx && tx.hash !== other) return tx;
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('L1TxSender through a faulty RPC', () => {
  let anvil: Anvil;
  let flaky: FlakyL1;
  let direct: L1PublicClient;
  const sendRaw = (m: string[]) => m.includes('eth_sendRawTransaction');

  beforeEach(async () => {
    anvil = await startAnvil();
    flaky = await startFlakyL1(anvil.url);
    direct = createL1PublicClient({ rpcUrls: [anvil.url], chainId: anvil.chainId });
  });
  afterEach(async () => {
    await flaky.stop();
    await anvil.stop();
  });

  /** A sender whose every request goes through the fault-injecting proxy. */
  const senderVia = (config: Partial<ConstructorParameters<typeof L1TxSender>[2]> = {}) => {
    const opts = { rpcUrls: [flaky.url], chainId: anvil.chainId, pollingIntervalMs: 20 };
    return new L1TxSender(createL1PublicClient(opts), createL1WalletClient(opts, devAccount(0).privateKey), {
      pollingIntervalMs: 20,
      stallTimeMs: 5_000,
      maxReplacements: 0,
      sendRetryDelayMs: 10,
      ...config,
    });
  };

  /** Fails the first `n` eth_sendRawTransaction requests with `decision`, forwards everything else. */
  const failFirstSends = (n: number, decision: FaultDecision) => {
    let left = n;
    flaky.setPolicy(({ methods }) => (sendRaw(methods) && left-- > 0 ? decision : 'forward'));
  };

  it.each([
    ['HTTP 500', { status: 500 }],
    ['HTTP 429', { status: 429 }],
    ['a dropped connection', 'drop'],
  ] as const)('retries the send after %s and the tx is mined once', async (_what, decision) => {
    failFirstSends(1, decision);
    const receipt = await senderVia().send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    expect(receipt.status).toBe('success');
    expect(flaky.counts().failedMethods['eth_sendRawTransaction']).toBe(1);
    expect(await direct.getTransactionCount({ address: devAccount(0).address })).toBe(1);
  });

  it('counts a send whose answer was lost as sent when the retry hears "nonce too low" (it was mined)', async () => {
    failFirstSends(1, { status: 502, afterForward: true });
    const receipt = await senderVia().send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    expect(receipt.status).toBe('success');
    expect(flaky.counts().failedMethods['eth_sendRawTransaction']).toBe(1);
    expect(await direct.getTransactionCount({ address: devAccount(0).address })).toBe(1);
  });

  it('counts a send whose answer was lost as sent when the retry hears "already known" (still pending)', async () => {
    await direct.request({ method: 'evm_setAutomine' as 'eth_chainId', params: [false] as never });
    failFirstSends(1, { status: 500, afterForward: true });
    const pending = senderVia().send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    const inPool = await waitForPoolTx(direct);
    // Wait for the retry to have been answered (the proxy saw a second send), then mine.
    while ((flaky.counts().failedMethods['eth_sendRawTransaction'] ?? 0) < 1) await new Promise(r => setTimeout(r, 10));
    await direct.request({ method: 'evm_mine' as 'eth_chainId' });
    const receipt = await pending;
    expect(receipt.transactionHash).toBe(inPool.hash);
    expect(await direct.getTransactionCount({ address: devAccount(0).address })).toBe(1);
  });

  it('gives up after its retries when the RPC keeps failing, with the HTTP error', async () => {
    flaky.setPolicy(({ methods }) => (sendRaw(methods) ? { status: 503 } : 'forward'));
    await expect(
      senderVia({ sendRetries: 2 }).send({ to: devAccount(1).address, data: '0x', gas: 21_000n }),
    ).rejects.toThrow(/503/);
    expect(flaky.counts().failedMethods['eth_sendRawTransaction']).toBe(3);
    expect(await direct.getTransactionCount({ address: devAccount(0).address })).toBe(0);
  });

  it('does not mistake receipts the RPC failed to serve for another tx taking the nonce', async () => {
    // Enough failed receipt requests to outlast viem's own retries twice: the tx is mined (automine) meanwhile.
    let failures = 8;
    flaky.setPolicy(({ methods }) =>
      methods.includes('eth_getTransactionReceipt') && failures-- > 0 ? { status: 500 } : 'forward',
    );
    const receipt = await senderVia().send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    expect(receipt.status).toBe('success');
    expect(flaky.counts().failedMethods['eth_getTransactionReceipt']).toBe(8);
  });

  it('does not retry a tx the node refused (a JSON-RPC error is not transient)', async () => {
    let sends = 0;
    flaky.setPolicy(({ methods }) => {
      if (sendRaw(methods)) sends++;
      return 'forward';
    });
    // Below the intrinsic gas of a transfer: anvil refuses it.
    const tooLittleGas = senderVia().send({ to: devAccount(1).address, data: '0x', gas: 20_000n });
    await expect(tooLittleGas).rejects.toThrow(/gas/i);
    expect(sends).toBe(1);
  });
});

describe('L1TxSender on a reverting contract call', () => {
  it('refuses a call whose gas estimate reverts, with a typed error naming the contract error', async () => {
    const l1 = await startTestL1();
    try {
      const rollup = new RollupContract(l1.publicClient, l1.deployment.addresses.rollup);
      const s = new L1TxSender(l1.publicClient, l1.wallet(4), {
        pollingIntervalMs: 20,
        stallTimeMs: 1_000,
        maxReplacements: 0,
      });
      const err = await s.send({ to: rollup.address, data: rollup.encodePrune() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(L1TxRevertedError);
      expect((err as L1TxRevertedError).reason).toMatch(/^Rollup__NothingToPrune/);
      expect(await l1.publicClient.getTransactionCount({ address: devAccount(4).address })).toBe(0);
    } finally {
      await l1.stop();
    }
  });
});
