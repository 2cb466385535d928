import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';

import { createRpcClient, isStaleConnection } from './client.js';
import { rpcNamespace } from './schema.js';
import { JsonRpcServer } from './server.js';
import { getFreePort } from '../net/free-port.js';

const schema = { echo: { params: z.tuple([z.number()]), result: z.number() } };

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) await new Promise<void>(resolve => (s.close(() => resolve()), s.closeAllConnections()));
});

/** A JSON-RPC echo server on loopback that resets the connection of the requests `reset` picks. */
async function echoServer(reset: (n: number) => boolean): Promise<{ url: string; seen: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (reset(n++)) return void req.socket.resetAndDestroy();
      const { id, params } = JSON.parse(Buffer.concat(chunks).toString()) as { id: number; params: [number] };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, result: params[0] }));
    });
  });
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => n };
}

describe('createRpcClient over a connection the server resets', () => {
  it('sends the request once more when the server reset the connection, and answers', async () => {
    const { url, seen } = await echoServer(n => n === 0);
    const client = createRpcClient(url, 'test', schema);
    expect(await client.echo(7)).toBe(7);
    expect(seen()).toBe(2);
  });

  it('gives up after one more try, with the reset as the cause', async () => {
    const { url, seen } = await echoServer(() => true);
    const client = createRpcClient(url, 'test', schema);
    const err: unknown = await client.echo(7).catch((e: unknown) => e);
    expect(isStaleConnection(err)).toBe(true);
    expect(seen()).toBe(2);
  });

  it('does not retry a refused connection: nothing listens there', async () => {
    const client = createRpcClient(`http://127.0.0.1:${await getFreePort()}`, 'test', schema);
    const err: unknown = await client.echo(7).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(isStaleConnection(err)).toBe(false);
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });
});

describe('createRpcClient with optional params', () => {
  it('leaves trailing undefined params out, so the server sees them absent rather than null', async () => {
    const optional = { add: { params: z.tuple([z.number(), z.number().optional()]), result: z.number() } };
    const rpc = new JsonRpcServer({
      host: '127.0.0.1',
      port: 0,
      namespaces: [rpcNamespace('test', optional, { add: (a, b) => a + (b ?? 100) })],
    });
    const port = await rpc.start();
    try {
      const client = createRpcClient(`http://127.0.0.1:${port}`, 'test', optional);
      expect(await client.add(1, undefined)).toBe(101);
      expect(await client.add(1, 2)).toBe(3);
    } finally {
      await rpc.stop();
    }
  });
});
