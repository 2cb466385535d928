// A closed-loop HTTP/1.1 load generator for the benches: N kept-alive connections (plain sockets), each with one
// request in flight, sending the same POST body again as soon as the answer is in. Raw sockets, not an HTTP client,
// so that the generator costs as little CPU as it can: on a 2-core machine the client is otherwise the bottleneck and
// every server looks alike. Run in its own process (`startLoadProcess`), away from the server it measures.
import { fork, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface LoadTarget {
  host: string;
  port: number;
  /** The exact request body sent on every request. */
  body: string;
  /** Every answer's body must start with this (a cheap check that each one is a real answer). */
  expectPrefix: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU time (user + system) the load generator spent, as a share of one core over the run. */
  clientCpu: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One kept-alive connection sending `request` in a loop until `until`; latencies (ms) pushed to `out`. */
function connection(target: LoadTarget, request: Buffer, until: () => boolean, out: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: target.host, port: target.port, noDelay: true });
    let buffered: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      sentAt = performance.now();
      socket.write(request);
    };
    socket.once('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const headerEnd = buffered.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const head = buffered.subarray(0, headerEnd).toString('latin1');
      const match = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!match || !head.startsWith('HTTP/1.1 200')) {
        socket.destroy();
        return reject(new Error(`unexpected answer: ${head.split('\r\n')[0]}`));
      }
      const bodyStart = headerEnd + HEADER_END.length;
      const end = bodyStart + Number(match[1]);
      if (buffered.length < end) return;
      const body = buffered.subarray(bodyStart, end).toString('utf8');
      if (!body.startsWith(target.expectPrefix)) {
        socket.destroy();
        return reject(new Error(`unexpected body: ${body.slice(0, 200)}`));
      }
      out.push(performance.now() - sentAt);
      buffered = buffered.subarray(end);
      if (until()) {
        socket.end();
        resolve();
      } else send();
    });
  });
}

/** `connections` kept-alive connections for `durationMs`; every answer read in full and checked. */
export async function runLoad(target: LoadTarget, connections: number, durationMs: number): Promise<LoadResult> {
  const body = Buffer.from(target.body);
  const request = Buffer.concat([
    Buffer.from(
      `POST / HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
    ),
    body,
  ]);
  const latencies: number[] = [];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: connections }, () =>
      connection(target, request, () => performance.now() >= deadline, latencies),
    ),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    clientCpu: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

interface LoadCommand {
  target: LoadTarget;
  connections: number;
  durationMs: number;
}

/** A load generator in a child process; `run` measures one phase; `stop` ends the process. */
export interface LoadProcess {
  run(target: LoadTarget, connections: number, durationMs: number): Promise<LoadResult>;
  stop(): Promise<void>;
}

/** Forks this file as a load generator process (the same tsx loader as the parent). */
export async function startLoadProcess(): Promise<LoadProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', code => reject(new Error(`load generator exited (${code}) before it was ready`)));
  });
  let queue = Promise.resolve();
  return {
    run: (target, connections, durationMs) => {
      const result = queue.then(
        () =>
          new Promise<LoadResult>((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
            child.once('exit', onExit);
            child.once('message', (m: { result?: LoadResult; error?: string }) => {
              child.off('exit', onExit);
              if (m.result) resolve(m.result);
              else reject(new Error(`load generator: ${m.error}`));
            });
            const command: LoadCommand = { target, connections, durationMs };
            child.send(command);
          }),
      );
      queue = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[2] === '--child' && process.send) {
  process.on('message', (command: LoadCommand) => {
    runLoad(command.target, command.connections, command.durationMs).then(
      result => process.send!({ result }),
      (err: unknown) => process.send!({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.send({ ready: true });
}
