import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startAnvil, type Anvil } from './anvil.js';
import { createL1PublicClient, createL1WalletClient, type L1PublicClient } from './clients.js';
import { devAccount } from './dev-accounts.js';
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

  it('replaces a stuck tx with higher fees (same nonce) and returns the one that was mined', async () => {
    await rpc('evm_setAutomine', [false]);
    const pending = sender.send({ to: devAccount(1).address, data: '0x', gas: 21_000n });
    // Mine only after the sender has replaced the tx at least once (the pool holds one tx: the replacement).
    let content: { pending: Record<string, Record<string, { hash: string; maxFeePerGas: string }>> } | undefined;
    const first = await waitForPoolTx();
    for (let i = 0; i < 100; i++) {
      content = (await rpc('txpool_content')) as unknown as typeof content;
      const tx = Object.values(content!.pending)[0]?.['0'];
      if (tx && tx.hash !== first.hash) break;
      await new Promise(r => setTimeout(r, 50));
    }
    const replacement = Object.values(content!.pending)[0]!['0']!;
    expect(replacement.hash).not.toBe(first.hash);
    expect(BigInt(replacement.maxFeePerGas)).toBeGreaterThan(BigInt(first.maxFeePerGas));
    await rpc('evm_mine');
    const receipt = await pending;
    expect(receipt.transactionHash).toBe(replacement.hash);
    expect(receipt.status).toBe('success');

    async function waitForPoolTx(): Promise<{ hash: string; maxFeePerGas: string }> {
      for (;;) {
        const c = (await rpc('txpool_content')) as unknown as NonNullable<typeof content>;
        const tx = Object.values(c.pending)[0]?.['0'];
        if (tx) return tx;
        await new Promise(r => setTimeout(r, 10));
      }
    }
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
});
