import { request } from 'node:http';

import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRpcClient } from './client.js';
import { RpcError, RpcErrorCode } from './errors.js';
import { RawJson } from './raw-json.js';
import { rpcNamespace } from './schema.js';
import { JsonRpcServer } from './server.js';

const blockNumber = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 32 - 1);
const schema = {
  add: { params: z.tuple([z.number(), z.number()]), result: z.number() },
  getBlock: { params: z.tuple([blockNumber]), result: z.object({ number: z.number() }) },
  echoBig: { params: z.tuple([z.string().regex(/^\d+$/).transform(BigInt)]), result: z.string() },
  refuse: { params: z.tuple([]), result: z.null() },
  crash: { params: z.tuple([]), result: z.null() },
  badResult: { params: z.tuple([]), result: z.number() },
  tipsPlain: { params: z.tuple([]), result: z.object({ latest: z.number(), hash: z.string().startsWith('0x') }) },
  tipsRaw: { params: z.tuple([]), result: z.object({ latest: z.number(), hash: z.string().startsWith('0x') }) },
  badRaw: { params: z.tuple([]), result: z.object({ latest: z.number() }) },
  addLater: { params: z.tuple([z.number(), z.number()]), result: z.number() },
  refuseLater: { params: z.tuple([]), result: z.null() },
};

const TIPS = { latest: 12, hash: '0x"quoted"\\é' };
const tipsRaw = RawJson.of(TIPS);
let rawCalls = 0;

let calls = 0;
const ns = rpcNamespace('test', schema, {
  add: (a, b) => {
    calls++;
    return a + b;
  },
  getBlock: n => ({ number: n }),
  echoBig: n => (n * 2n).toString(),
  refuse: () => {
    throw new RpcError(RpcErrorCode.REJECTED, 'nope: the reason a client can read', { reason: 'TEST' });
  },
  crash: () => {
    throw new Error('secret internal detail');
  },
  badResult: () => 'not a number' as unknown as number,
  tipsPlain: () => TIPS,
  tipsRaw: () => {
    rawCalls++;
    return tipsRaw;
  },
  addLater: async (a, b) => {
    await new Promise(resolve => setTimeout(resolve, 5));
    return a + b;
  },
  refuseLater: async () => {
    await new Promise(resolve => setTimeout(resolve, 5));
    throw new RpcError(RpcErrorCode.REJECTED, 'later: no');
  },
  badRaw: () => RawJson.of({ latest: 'twelve' }) as unknown as RawJson<{ latest: number }>,
});

let server: JsonRpcServer;
let url: string;

async function post(body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function postText(body: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return res.text();
}

const rpc = (method: string, params: unknown, id: unknown = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });

beforeAll(async () => {
  server = new JsonRpcServer({
    host: '127.0.0.1',
    port: 0,
    namespaces: [ns],
    limits: { maxBodyBytes: 1024 * 1024, maxBatchSize: 100 },
    routes: { '/status': () => Promise.resolve({ status: 200, contentType: 'text/plain', body: 'OK\n' }) },
  });
  url = `http://127.0.0.1:${await server.start()}`;
});
afterAll(async () => {
  await server.stop();
});

describe('JsonRpcServer', () => {
  it('answers a call, a batch in order, and skips notifications', async () => {
    expect((await post(rpc('test_add', [2, 3], 67))).json).toEqual({ jsonrpc: '2.0', id: 67, result: 5 });
    const batch = await post(`[${rpc('test_add', [1, 1], 'a')},${rpc('test_getBlock', [7], 'b')}]`);
    expect(batch.json).toEqual([
      { jsonrpc: '2.0', id: 'a', result: 2 },
      { jsonrpc: '2.0', id: 'b', result: { number: 7 } },
    ]);
    const before = calls;
    const note = await post(JSON.stringify({ jsonrpc: '2.0', method: 'test_add', params: [1, 2] }));
    expect(note.status).toBe(204);
    expect(calls).toBe(before + 1);
  });

  it('gives the standard error codes for malformed requests', async () => {
    const code = async (body: string) => ((await post(body)).json as { error: { code: number } }).error.code;
    expect(await code('{not json')).toBe(-32700);
    expect(await code(rpc('test_nope', []))).toBe(-32601);
    expect(await code(rpc('test_add', ['1', 2]))).toBe(-32602);
    expect(await code(rpc('test_add', [1]))).toBe(-32602);
    expect(await code(rpc('test_add', { a: 1 }))).toBe(-32602);
    expect(await code(rpc('test_getBlock', [-1]))).toBe(-32602);
    expect(await code(rpc('test_getBlock', [2 ** 40]))).toBe(-32602);
    expect(await code(rpc('test_getBlock', [1.5]))).toBe(-32602);
    expect(await code(JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'test_add', params: [1, 2] }))).toBe(-32600);
    expect(await code(JSON.stringify({ id: 1 }))).toBe(-32600);
    expect(await code('[]')).toBe(-32600);
    expect(await code('42')).toBe(-32600);
  });

  it('reports a refusal with its reason, and hides internal failures', async () => {
    expect((await post(rpc('test_refuse', []))).json).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32000, message: 'nope: the reason a client can read', data: { reason: 'TEST' } },
    });
    const crash = JSON.stringify((await post(rpc('test_crash', []))).json);
    expect(crash).toContain('-32603');
    expect(crash).not.toContain('secret internal detail');
    expect(JSON.stringify((await post(rpc('test_badResult', []))).json)).toContain('-32603');
  });

  it('refuses a 10,000-entry batch as one error and keeps serving', async () => {
    const batch = `[${Array.from({ length: 10_000 }, (_, i) => rpc('test_add', [i, 1], i)).join(',')}]`;
    const before = calls;
    const res = await post(batch);
    expect(res.json).toMatchObject({
      error: { code: -32600, message: expect.stringContaining('Batch too large') as unknown },
    });
    expect(calls).toBe(before);
    expect((await post(rpc('test_add', [1, 1]))).json).toMatchObject({ result: 2 });
  });

  it('refuses a 100 MB body without reading it and keeps serving', async () => {
    const size = 100 * 1024 * 1024;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': size },
      });
      req.on('response', res => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // Start streaming; the server answers from the declared length and closes.
      req.write(Buffer.alloc(64 * 1024, 0x20));
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: -32600 } });
    expect((await post(rpc('test_add', [2, 2]))).json).toMatchObject({ result: 4 });
  });

  it('refuses a body that grows past the limit without a declared length', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // A stream has no content-length: the server counts as it reads.
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
          controller.close();
        },
      }),
      duplex: 'half',
    }).catch((err: unknown) => err);
    if (res instanceof Response) expect(res.status).toBe(413);
    // Either way (answered, or connection closed mid-upload), the server still serves.
    expect((await post(rpc('test_add', [3, 3]))).json).toMatchObject({ result: 6 });
  });

  it('keeps an idle connection open for a minute, and says so', async () => {
    const res = await fetch(`${url}/status`);
    await res.text();
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('serves GET routes and 404s the rest', async () => {
    expect((await fetch(`${url}/status`)).status).toBe(200);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });

  it('sends a pre-serialized result as the very bytes of the plain one, with each request id', async () => {
    for (const id of [1, 'a-string "id"', null, 2 ** 53 - 1, 0]) {
      const raw = await postText(rpc('test_tipsRaw', [], id));
      expect(raw).toBe(await postText(rpc('test_tipsPlain', [], id)));
      expect(raw).toBe(JSON.stringify({ jsonrpc: '2.0', id, result: TIPS }));
    }
    // Left out, params are none; unknown members are ignored, as before.
    expect(await postText(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'test_tipsRaw', extra: true }))).toBe(
      JSON.stringify({ jsonrpc: '2.0', id: 3, result: TIPS }),
    );
    // A batch mixing raw, plain, error and notification answers in order, as JSON.stringify of the array would.
    const batch = await postText(
      `[${rpc('test_tipsRaw', [], 'x')},${rpc('test_add', [1, 2], 'y')},${rpc('test_nope', [], 'z')},` +
        `${JSON.stringify({ jsonrpc: '2.0', method: 'test_tipsRaw' })},${rpc('test_tipsRaw', [], 7)}]`,
    );
    expect(batch).toBe(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'x', result: TIPS },
        { jsonrpc: '2.0', id: 'y', result: 3 },
        { jsonrpc: '2.0', id: 'z', error: { code: -32601, message: 'Method not found: test_nope' } },
        { jsonrpc: '2.0', id: 7, result: TIPS },
      ]),
    );
    // The fast request check refuses what the schema refuses, with the schema's message.
    const before = rawCalls;
    for (const bad of [
      { jsonrpc: '2.0', id: 'x'.repeat(257), method: 'test_tipsRaw' },
      { jsonrpc: '2.0', id: true, method: 'test_tipsRaw' },
      { jsonrpc: '2.0', id: 1, method: '' },
      { jsonrpc: '2.0', id: 1, method: 'test_tipsRaw', params: 5 },
    ]) {
      const answer = JSON.parse(await postText(JSON.stringify(bad))) as { error: { code: number; message: string } };
      expect(answer.error.code).toBe(-32600);
      expect(answer.error.message).toMatch(/^Invalid request: /);
    }
    expect(
      (
        JSON.parse(await postText('{"jsonrpc":"2.0","id":1e400,"method":"test_tipsRaw"}')) as {
          error: { code: number };
        }
      ).error.code,
    ).toBe(-32600);
    expect(await postText(rpc('test_tipsRaw', [1]))).toContain('expected no params, got 1');
    expect(rawCalls).toBe(before);
  });

  it('answers methods that answer at once and methods that answer later alike, in a batch too', async () => {
    expect(await postText(rpc('test_addLater', [2, 3], 'l'))).toBe('{"jsonrpc":"2.0","id":"l","result":5}');
    expect(await postText(rpc('test_refuseLater', [], 2))).toBe(
      '{"jsonrpc":"2.0","id":2,"error":{"code":-32000,"message":"later: no"}}',
    );
    const batch = await postText(`[${rpc('test_addLater', [1, 1], 1)},${rpc('test_add', [2, 2], 2)}]`);
    expect(batch).toBe('[{"jsonrpc":"2.0","id":1,"result":2},{"jsonrpc":"2.0","id":2,"result":4}]');
    const note = await post(JSON.stringify({ jsonrpc: '2.0', method: 'test_addLater', params: [1, 2] }));
    expect(note.status).toBe(204);
  });

  it('checks a pre-serialized result against the schema, and hides it when it does not fit', async () => {
    const answer = JSON.parse(await postText(rpc('test_badRaw', []))) as { error: { code: number } };
    expect(answer.error.code).toBe(-32603);
    expect(JSON.stringify({ r: tipsRaw })).toBe(JSON.stringify({ r: TIPS }));
  });

  it('gives a typed client that validates with the same schema', async () => {
    const client = createRpcClient(url, 'test', schema);
    expect(await client.add(20, 22)).toBe(42);
    expect(await client.echoBig('12345678901234567890')).toBe('24691357802469135780');
    await expect(client.refuse()).rejects.toMatchObject({
      code: -32000,
      message: 'nope: the reason a client can read',
    });
  });
});
