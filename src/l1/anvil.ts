import { spawn, type ChildProcess } from 'node:child_process';

import { NodeError } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { getFreePort } from '../foundation/net/free-port.js';
import { anvilBinaryPath } from './anvil-binary.js';

/** Options for a local L1. */
export interface AnvilOptions {
  /** TCP port on 127.0.0.1; a free one is chosen when absent. */
  port?: number;
  /** Seconds between blocks; absent = a block per transaction (automine). */
  blockTime?: number;
  /** EVM hardfork; Prague has blobs (EIP-4844) and the blob fee rules of EIP-7691. */
  hardfork?: string;
  chainId?: number;
  /** Start timestamp of the chain (unix seconds). */
  timestamp?: number;
  /** Mnemonic for the prefunded accounts (anvil's well-known one when absent). */
  mnemonic?: string;
  /** Number of prefunded accounts. */
  accounts?: number;
  /** Milliseconds to wait for anvil to answer before giving up. */
  startTimeoutMs?: number;
  logger?: Logger;
}

/** A running anvil process, owned by one PID. */
export interface Anvil {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly chainId: number;
  /** Stops anvil by PID (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

export class AnvilStartError extends NodeError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('ANVIL_START_FAILED', message, context);
  }
}

/** anvil's default mnemonic: the accounts every foundry user knows. Development only. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the process exits without calling stop(), do not leave anvil behind.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Starts anvil on 127.0.0.1 and resolves once it answers JSON-RPC. */
export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const log = opts.logger ?? createLogger('anvil');
  const chainId = opts.chainId ?? 31337;
  const port = opts.port ?? (await getFreePort());
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(chainId),
    '--hardfork',
    opts.hardfork ?? 'prague',
    '--accounts',
    String(opts.accounts ?? 10),
    '--mnemonic',
    opts.mnemonic ?? ANVIL_MNEMONIC,
  ];
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime));
  if (opts.timestamp !== undefined) args.push('--timestamp', String(opts.timestamp));

  const child = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  installExitHook();
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Ready when *this* process says it is listening (another process may already answer on the port), and answers.
  const listening = new Promise<boolean>(resolve => {
    const onData = () => {
      if (output.includes('Listening on')) {
        child.stdout?.off('data', onData);
        resolve(true);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(() => resolve(false));
    setTimeout(() => resolve(false), opts.startTimeoutMs ?? 20_000).unref();
  });
  if (!(await listening) || !(await answers(url))) {
    child.kill('SIGKILL');
    running.delete(child);
    const why = child.exitCode !== null ? 'exited before it was ready' : 'did not answer in time';
    throw new AnvilStartError(`anvil ${why} on ${url}: ${output.trim() || '(no output)'}`, { port });
  }
  const pid = child.pid!;
  log.info('Local L1 started', { url, pid, chainId, blockTime: opts.blockTime ?? 'automine' });

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    pid,
    chainId,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(pid, 'SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        running.delete(child);
        log.info('Local L1 stopped', { pid });
      })();
      return stopping;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
