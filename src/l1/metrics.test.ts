import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../foundation/metrics/index.js';
import { createL1PublicClient } from './clients.js';
import { classifyL1Error } from './metrics.js';

// A JSON-RPC endpoint on 127.0.0.1: eth_chainId answers, eth_blockNumber is rate limited (HTTP 429), eth_call is a
// JSON-RPC error.
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      if (method === 'eth_blockNumber') {
        res.writeHead(429).end('Too Many Requests');
        return;
      }
      res.setHeader('content-type', 'application/json');
      if (method === 'eth_chainId') res.end(JSON.stringify({ jsonrpc: '2.0', id, result: '0x7a69' }));
      else res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message: 'execution reverted' } }));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>(r => server.close(() => r())));

const value = async (registry: Registry, name: string, labels: Record<string, string>) =>
  (await registry.getSingleMetric(name)!.get()).values.find(v =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  )?.value;

describe('L1 client metrics', () => {
  it('counts requests by method, and failures as rate_limited or rpc', async () => {
    const metrics = new Registry();
    const client = createL1PublicClient({ rpcUrls: [url], chainId: 31337, metrics });
    await client.getChainId();
    await client.getChainId();
    await expect(client.request({ method: 'eth_blockNumber' })).rejects.toThrow();
    await expect(
      client.request({ method: 'eth_call', params: [{ to: `0x${'11'.repeat(20)}` }, 'latest'] }),
    ).rejects.toThrow();

    expect(await value(metrics, 'aztec_l1_requests_total', { method: 'eth_chainId' })).toBe(2);
    expect(await value(metrics, 'aztec_l1_requests_total', { method: 'eth_blockNumber' })).toBe(1);
    expect(
      await value(metrics, 'aztec_l1_request_errors_total', { method: 'eth_blockNumber', kind: 'rate_limited' }),
    ).toBe(1);
    expect(await value(metrics, 'aztec_l1_request_errors_total', { method: 'eth_call', kind: 'rpc' })).toBe(1);
    expect(
      await value(metrics, 'aztec_l1_request_errors_total', { method: 'eth_chainId', kind: 'rpc' }),
    ).toBeUndefined();
    expect(await value(metrics, 'aztec_l1_request_duration_seconds', { method: 'eth_chainId', le: '+Inf' })).toBe(2);
  });

  it('counts nothing without a registry (the client works as before)', async () => {
    const client = createL1PublicClient({ rpcUrls: [url], chainId: 31337 });
    expect(await client.getChainId()).toBe(31337);
  });
});

describe('classifyL1Error', () => {
  it('finds a 429 or a -32005 in the error or its causes', () => {
    expect(classifyL1Error({ status: 429 })).toBe('rate_limited');
    expect(classifyL1Error({ code: -32005 })).toBe('rate_limited');
    expect(classifyL1Error({ name: 'Wrapped', cause: { status: 429 } })).toBe('rate_limited');
    expect(classifyL1Error({ name: 'TimeoutError' })).toBe('timeout');
    expect(classifyL1Error({ status: 502 })).toBe('http');
    expect(classifyL1Error({ code: -32000 })).toBe('rpc');
    expect(classifyL1Error(new Error('boom'))).toBe('other');
    expect(classifyL1Error(undefined)).toBe('other');
  });
});
