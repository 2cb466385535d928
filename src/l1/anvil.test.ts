import { describe, expect, it } from 'vitest';

import { startAnvil } from './anvil.js';

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startAnvil', () => {
  it('starts a Prague L1 on a free loopback port and stops it by PID', async () => {
    const anvil = await startAnvil({ chainId: 31337 });
    try {
      expect(anvil.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await rpc(anvil.url, 'eth_chainId')).toBe('0x7a69');
      const block = (await rpc(anvil.url, 'eth_getBlockByNumber', ['latest', false])) as Record<string, unknown>;
      // Prague headers carry the blob gas fields and the requests hash.
      expect(block['excessBlobGas']).toBeDefined();
      expect(block['requestsHash']).toBeDefined();
      expect(alive(anvil.pid)).toBe(true);
    } finally {
      await anvil.stop();
    }
    expect(alive(anvil.pid)).toBe(false);
  });

  it('mines on its own with a block time', async () => {
    const anvil = await startAnvil({ blockTime: 1 });
    try {
      const first = BigInt((await rpc(anvil.url, 'eth_blockNumber')) as string);
      let now = first;
      for (let i = 0; i < 40 && now === first; i++) {
        await new Promise(r => setTimeout(r, 100));
        now = BigInt((await rpc(anvil.url, 'eth_blockNumber')) as string);
      }
      expect(now).toBeGreaterThan(first);
    } finally {
      await anvil.stop();
    }
  });

  it('fails with a clear error when the port is taken', async () => {
    const a = await startAnvil();
    try {
      await expect(startAnvil({ port: a.port, startTimeoutMs: 5_000 })).rejects.toThrow(
        /anvil (exited before it was ready|did not answer)/,
      );
    } finally {
      await a.stop();
    }
  });
});
