import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NodeError } from '../../../foundation/errors/index.js';
import { createLogger, type Logger } from '../../../foundation/log/index.js';
import { devAccount } from '../../../l1/dev-accounts.js';
import type { AztecConfig } from '../../../node/config.js';
import type { LocalNetwork } from '../../../node/local-network.js';
import { waitForShutdownSignal } from '../../signals.js';
import type { CliContext } from '../../types.js';

/** A process of the local network: the bootnode or a validator's node. */
interface Member {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  url?: string;
  p2pPort: number;
}

/** Anvil account that publishes the local network's epoch proofs (the first validator's node runs the prover). */
const PROVER_ACCOUNT = 9;

/**
 * Starts `aztec` again as a child process (same Node, same loader, same entry script) with `env` on top of ours,
 * its output prefixed with its name on our stderr. Resolves once `ready` appears in its output.
 */
function spawnMember(name: string, args: string[], env: Record<string, string>, ready: RegExp, log: Logger) {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  let output = '';
  const started = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      const text = d.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`[${name}] ${line}\n`);
      if (ready.test(output)) resolve(output);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(code => reject(new NodeError('LOCAL_NETWORK', `${name} exited (${code}) while starting`)));
  });
  log.debug(`Started ${name}`, { pid: child.pid });
  return { child, exited, started };
}

/**
 * Resolves, with the reason, once the network is of no more use: the bootnode exited, or every validator did. A
 * single validator that exits (crashed, or stopped by PID to watch the others carry on) is logged and the rest keep
 * running.
 */
function whileUseful(members: readonly Member[], log: Logger): Promise<string> {
  const validators = members.filter(m => m.name !== 'bootnode');
  let left = validators.length;
  return new Promise(resolve => {
    for (const m of members) {
      void m.exited.then(code => {
        if (m.name === 'bootnode') return resolve(`the bootnode exited (${code})`);
        left--;
        if (left === 0) return resolve(`every validator exited (last: ${m.name}, ${code})`);
        log.warn(`${m.name} exited (${code}); the other members keep running`, { pid: m.child.pid, left });
      });
    }
  });
}

async function stopMember(m: Member): Promise<void> {
  if (m.child.exitCode !== null || m.child.signalCode !== null) return;
  m.child.kill('SIGTERM');
  const timer = setTimeout(() => m.child.kill('SIGKILL'), 15_000);
  await m.exited;
  clearTimeout(timer);
}

/**
 * `aztec start --local-network --validators N` (N > 1): a bootnode and N validator nodes as separate processes on
 * 127.0.0.1, each with its own data directory, key and P2P port, over the L1 `net` already deployed. Ctrl-C (or
 * SIGTERM) stops them all by PID, then the L1.
 */
export async function runMultiValidatorNetwork(config: AztecConfig, net: LocalNetwork, ctx: CliContext): Promise<void> {
  const log = createLogger('local-network');
  const temporary = config.node.dataDirectory === undefined;
  const base = config.node.dataDirectory ?? mkdtempSync(join(tmpdir(), 'aztec-local-network-'));
  const members: Member[] = [];
  try {
    const common = {
      ETHEREUM_HOSTS: net.anvil.url,
      L1_CONSENSUS_HOST_URLS: net.anvil.url,
      NETWORK: 'local',
      P2P_IP: '127.0.0.1',
      P2P_LISTEN_ADDR: '127.0.0.1',
      AZTEC_HOST: config.node.host,
      LOG_LEVEL: config.node.logLevel,
    };
    const bootPort = config.p2p.p2pPort;
    mkdirSync(join(base, 'bootnode'), { recursive: true });
    const boot = spawnMember(
      'bootnode',
      ['start', '--p2p-bootstrap'],
      {
        ...common,
        P2P_PORT: String(bootPort),
        DATA_DIRECTORY: join(base, 'bootnode'),
        AZTEC_PORT: String(config.node.port + net.validators.length),
        AZTEC_ADMIN_PORT: String(config.node.adminPort + net.validators.length),
      },
      /^enr:[A-Za-z0-9_-]+\n/m,
      log,
    );
    members.push({ name: 'bootnode', child: boot.child, exited: boot.exited, p2pPort: bootPort });
    const enr = /^(enr:[A-Za-z0-9_-]+)\n/m.exec(await boot.started)![1]!;

    const starts = net.validators.map((v, i) => {
      const name = `validator-${i + 1}`;
      const dir = join(base, name);
      mkdirSync(dir, { recursive: true });
      const args = ['start', '--archiver', '--node', '--sequencer', ...(i === 0 ? ['--prover-node'] : [])];
      const m = spawnMember(
        name,
        args,
        {
          ...common,
          VALIDATOR_PRIVATE_KEY: devAccount(v.accountIndex).privateKey,
          ...(i === 0 ? { PROVER_PUBLISHER_PRIVATE_KEY: devAccount(PROVER_ACCOUNT).privateKey } : {}),
          P2P_ENABLED: 'true',
          P2P_PORT: String(bootPort + i + 1),
          BOOTSTRAP_NODES: enr,
          DATA_DIRECTORY: dir,
          AZTEC_PORT: String(config.node.port + i),
          AZTEC_ADMIN_PORT: String(config.node.adminPort + i),
        },
        /Node started/,
        log,
      );
      const shownHost = config.node.host === '0.0.0.0' ? '127.0.0.1' : config.node.host;
      members.push({
        name,
        child: m.child,
        exited: m.exited,
        url: `http://${shownHost}:${config.node.port + i}`,
        p2pPort: bootPort + i + 1,
      });
      return m.started;
    });
    await Promise.all(starts);
    writeFileSync(join(base, 'pids'), members.map(m => `${m.child.pid} ${m.name}`).join('\n') + '\n');
    ctx.stdout(
      [
        '',
        `Processes (PIDs also in ${join(base, 'pids')}):`,
        ...members.map(
          m =>
            `  ${m.name.padEnd(12)} pid ${String(m.child.pid).padEnd(8)} p2p ${m.p2pPort}${m.url ? `   ${m.url}` : ''}`,
        ),
        `Bootnode ENR: ${enr}`,
        '',
        'Press Ctrl-C to stop them all.',
        '',
      ].join('\n'),
    );
    const signal = await Promise.race([waitForShutdownSignal(), whileUseful(members, log)]);
    log.info('Stopping the local network', { reason: signal });
  } finally {
    for (const m of [...members].reverse()) await stopMember(m);
    if (temporary) rmSync(base, { recursive: true, force: true });
  }
}
