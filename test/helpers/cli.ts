import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { getFreePort } from '../../src/foundation/net/free-port.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment without any setting of ours, so the machine's variables cannot change a test. */
export const CLEAN_ENV: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      e[1] !== undefined && !/^(ETHEREUM_|L1_|VALIDATOR_|SEQ_|P2P_|AZTEC_|NETWORK|LOG_|BOOTNODE_)/.test(e[0]),
  ),
);

/** Runs `aztec <args>` from source to completion, as an operator would. */
export function runAztec(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: root,
    env: { ...CLEAN_ENV, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A long-running `aztec` process with its output collected; stopped by PID (its whole process group). */
export interface AztecProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves when stdout or stderr matches, rejects if the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnAztec(args: string[], env: Record<string, string> = {}): AztecProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: root,
    env: { ...CLEAN_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stop() signals the group, so whatever it started (anvil) goes too, even on SIGKILL.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  return {
    child,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) return resolve();
          if (child.exitCode !== null)
            return reject(new Error(`aztec exited (${child.exitCode}) before ${pattern}:\n${stderr}`));
          if (Date.now() > deadline)
            return reject(new Error(`timed out waiting for ${pattern}:\n${stdout}\n${stderr}`));
          setTimeout(check, 50);
        };
        check();
      }),
    stop: async (signal = 'SIGINT') => {
      const group = -child.pid!;
      const kill = (s: NodeJS.Signals) => {
        try {
          process.kill(group, s);
        } catch {
          // the group is already gone
        }
      };
      if (child.exitCode === null && child.signalCode === null) kill(signal);
      const timer = setTimeout(() => kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      // Children that outlive a graceful stop are not left behind either.
      kill('SIGKILL');
      return code;
    },
  };
}

/** Whether a process with this PID exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `aztec start --local-network` in its own process on free loopback ports, once it is up. */
export interface LocalNetworkProcess {
  proc: AztecProcess;
  l1Url: string;
  rpcUrl: string;
  rollup: `0x${string}`;
}

/** Starts `aztec start --local-network` (plus `extra` flags) on free ports and waits until it is up. */
export async function startLocalNetworkProcess(
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<LocalNetworkProcess> {
  const l1Url = `http://127.0.0.1:${await getFreePort()}`;
  const [rpc, admin] = [await getFreePort(), await getFreePort()];
  const args = ['--l1-rpc-urls', l1Url, '--port', String(rpc), '--admin-port', String(admin), '--host', '127.0.0.1'];
  const proc = spawnAztec(['start', '--local-network', ...args, ...extra], env);
  await proc.waitFor(/Press Ctrl-C to stop/, 120_000);
  const rollup = /rollup\s+(0x[0-9a-fA-F]{40})/.exec(proc.output().stdout)![1] as `0x${string}`;
  return { proc, l1Url, rpcUrl: `http://127.0.0.1:${rpc}`, rollup };
}
