import { createServer, type IncomingMessage, type Server } from 'node:http';

import { getFreePort } from '../../src/foundation/net/free-port.js';

/**
 * What the proxy does with one request: forward it to the real L1; answer with an HTTP error instead; forward it and
 * then answer with an HTTP error (the request reached L1, its answer was lost); or close the connection unanswered.
 */
export type FaultDecision = 'forward' | 'drop' | { status: number; afterForward?: boolean };

/** Decides per request: `methods` are the JSON-RPC methods in the body (empty for a beacon REST GET). */
export type FaultPolicy = (req: { methods: string[]; path: string; index: number }) => FaultDecision;

/**
 * An HTTP proxy on 127.0.0.1 in front of a real L1 (anvil): each request is forwarded, or answered with the HTTP
 * status the current policy picks (500, 429, ...). A test points a node's --l1-rpc-urls at `url` and changes the
 * policy while the node runs. This is not a stand-in for L1: every request that is let through reaches anvil.
 */
export interface FlakyL1 {
  url: string;
  setPolicy(policy: FaultPolicy): void;
  /** Requests seen so far, and how many of them were answered with an error. */
  counts(): { requests: number; failed: number; failedMethods: Record<string, number> };
  stop(): Promise<void>;
}

export const forwardAll: FaultPolicy = () => 'forward';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function methodsOf(body: Buffer): string[] {
  if (body.length === 0) return [];
  try {
    const parsed = JSON.parse(body.toString()) as { method?: unknown } | { method?: unknown }[];
    return (Array.isArray(parsed) ? parsed : [parsed]).map(r => String(r.method));
  } catch {
    return [];
  }
}

export async function startFlakyL1(target: string, policy: FaultPolicy = forwardAll): Promise<FlakyL1> {
  let current = policy;
  let requests = 0;
  let failed = 0;
  const failedMethods: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const methods = methodsOf(body);
      const decision = current({ methods, path: req.url ?? '/', index: requests++ });
      if (decision !== 'forward') {
        failed++;
        for (const m of methods.length > 0 ? methods : [`GET ${req.url}`])
          failedMethods[m] = (failedMethods[m] ?? 0) + 1;
      }
      if (decision === 'drop') {
        req.socket.destroy();
        return;
      }
      if (decision !== 'forward' && !decision.afterForward) {
        res.writeHead(decision.status, { 'content-type': 'text/plain' }).end(`injected HTTP ${decision.status}`);
        return;
      }
      try {
        const upstream = await fetch(new URL(req.url ?? '/', target), {
          method: req.method ?? 'GET',
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
        });
        const answer = Buffer.from(await upstream.arrayBuffer());
        if (decision !== 'forward') {
          res.writeHead(decision.status, { 'content-type': 'text/plain' }).end(`injected HTTP ${decision.status}`);
          return;
        }
        res
          .writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
          .end(answer);
      } catch (err) {
        res.writeHead(502).end(String(err));
      }
    })();
  });
  const port = await getFreePort();
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    setPolicy: p => (current = p),
    counts: () => ({ requests, failed, failedMethods: { ...failedMethods } }),
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
