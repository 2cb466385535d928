import { createServer, type Server } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { JsonRpcServer } from '../foundation/json-rpc/index.js';
import { getFreePort } from '../foundation/net/free-port.js';
import { listenApiServers, PortInUseError } from './api-servers.js';
import type { AztecConfig } from './config.js';

const held: Server[] = [];
const servers: JsonRpcServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const h of held.splice(0)) await new Promise<void>(resolve => h.close(() => resolve()));
});

/** A port another process (here: another socket) already listens on. */
async function takenPort(): Promise<number> {
  const port = await getFreePort();
  const h = createServer();
  await new Promise<void>(resolve => h.listen(port, '127.0.0.1', resolve));
  held.push(h);
  return port;
}

const server = (port: number) => {
  const s = new JsonRpcServer({ host: '127.0.0.1', port, namespaces: [] });
  servers.push(s);
  return s;
};

describe('listenApiServers', () => {
  it('names the setting to change when the admin port is taken (two nodes on one host network)', async () => {
    const [port, adminPort] = [await getFreePort(), await takenPort()];
    const config = { node: { host: '127.0.0.1', port, adminHost: '127.0.0.1', adminPort } } as AztecConfig;
    const err: unknown = await listenApiServers(config, { rpc: server(port), admin: server(adminPort) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as PortInUseError).message).toBe(
      `The admin JSON-RPC API cannot listen on 127.0.0.1:${adminPort}: another process uses that port. Pick a free ` +
        "one with --admin-port / AZTEC_ADMIN_PORT (every node on one machine, or in a container on the host's " +
        'network, needs ports of its own).',
    );
  });

  it('names --port / AZTEC_PORT for the JSON-RPC port, and answers on both when they are free', async () => {
    const taken = await takenPort();
    const config = (p: number, a: number) =>
      ({ node: { host: '127.0.0.1', port: p, adminHost: '127.0.0.1', adminPort: a } }) as AztecConfig;
    const adminPort = await getFreePort();
    const err: unknown = await listenApiServers(config(taken, adminPort), {
      rpc: server(taken),
      admin: server(adminPort),
    }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('--port / AZTEC_PORT');

    const [p, a] = [await getFreePort(), await getFreePort()];
    const urls = await listenApiServers(config(p, a), { rpc: server(p), admin: server(a) });
    expect(urls).toEqual({ rpcUrl: `http://127.0.0.1:${p}`, adminUrl: `http://127.0.0.1:${a}` });
  });
});
