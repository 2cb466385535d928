import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ENR } from '@chainsafe/enr';
import { decodeEventLog, decodeFunctionData, parseAbiItem, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { proposalDigest, recoverAttester } from '../../src/protocol/proposal-digest.js';
import { decodeHeader, headerHash } from '../../src/types/header-codec.js';
import { frToHex } from '../../src/types/fr.js';
import { runAztec, startLocalNetworkProcess, type LocalNetworkProcess } from '../helpers/cli.js';
import { until } from '../helpers/in-process-network.js';
import { inTerminal, parseEnvFile, root, spartanEnv, tempDir } from '../spartan/helpers.js';
import { curlJq, docker, dockerOk, downloaded } from './docker.js';

const ctx = inject('docker');
const run = promisify(execFile);

/** The operator's validator: a development account of the local L1 that is not a genesis validator. */
const OPERATOR = devAccount(5);
/** Who pays for the registration (the guide's "a team member will add you"; here an L1 account of ours). */
const FUNDER = devAccount(8);

/** The guide's curl command against `port` (jq included), its answer's `result`; undefined while none answers. */
function curl(port: number, method: string, params: unknown[]): unknown {
  try {
    return JSON.parse(curlJq(port, method, params, '.result')) as unknown;
  } catch {
    return undefined;
  }
}

/** Prints a measured figure for the closing note and CI's log (not an assertion: timing varies with the machine). */
const figure = (what: string, since: number) =>
  console.log(`journey: ${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`);

/**
 * The guide's "Running a Sequencer using Aztec Spartan", on a real Docker engine: the installer through `curl | bash`,
 * `config` in a terminal and then with options, `start` (our image, on the host's network, against a local network on
 * this machine), `logs`, the guide's two curls, health, a crash and the restart policy, `update`, the registration
 * with the node's sync proof, the validator's signatures on L1, and `stop`. Nothing here is a fake: the engine, the
 * image, docker-compose and the L1 are the real ones.
 */
describe.skipIf(!ctx.available)('the operator journey with aztec-spartan, in real containers', () => {
  let net: LocalNetworkProcess;
  let installer: Server;
  let installUrl: string;
  let work: { dir: string; remove: () => void };
  let dir: string;
  let port: number;
  let p2pPort: number;
  let containerId = '';
  const env = () => spartanEnv({ VALIDATOR_PRIVATE_KEY: '', PATH: process.env['PATH'] ?? '' });
  const spartan = (args: string[], timeoutMs = 120_000) => {
    const r = spawnSync('./aztec-spartan.sh', args, { cwd: dir, env: env(), encoding: 'utf8', timeout: timeoutMs });
    return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  const composePs = () =>
    spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'ps', '-q', 'aztec-node'], {
      cwd: dir,
      encoding: 'utf8',
    }).stdout.trim();
  const inspect = (format: string) => dockerOk(['inspect', '--format', format, containerId]);
  const logsSince = (since?: string) => {
    const r = docker(['logs', ...(since ? ['--since', since] : []), containerId], 30_000);
    return r.stdout + r.stderr;
  };

  beforeAll(async () => {
    // The network: an L1 and a node producing blocks, with P2P on loopback so the operator's node can attest.
    const netP2p = await getFreePort();
    net = await startLocalNetworkProcess([], {
      P2P_ENABLED: 'true',
      P2P_IP: '127.0.0.1',
      P2P_LISTEN_ADDR: '127.0.0.1',
      P2P_PORT: String(netP2p),
    });
    // The installer, served the way the guide's `curl -L <host> | bash` gets it.
    const script = readFileSync(join(root, 'spartan', 'install.sh'));
    installer = createServer((req, res) => {
      if (req.url === '/') return void res.writeHead(302, { location: '/install.sh' }).end();
      if (req.url === '/install.sh')
        return void res.writeHead(200, { 'content-type': 'text/x-shellscript' }).end(script);
      res.writeHead(404).end();
    });
    await new Promise<void>(resolve => installer.listen(0, '127.0.0.1', resolve));
    installUrl = `http://127.0.0.1:${(installer.address() as AddressInfo).port}`;
    work = tempDir('aztec-journey-');
    dir = join(work.dir, 'val1');
    [port, p2pPort] = [await getFreePort(), await getFreePort()];
  }, 180_000);

  afterAll(async () => {
    if (dir && existsSync(join(dir, 'docker-compose.yml'))) {
      spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'down', '--timeout', '5'], {
        cwd: dir,
        timeout: 60_000,
      });
    }
    if (containerId) docker(['rm', '-f', containerId]);
    await net?.proc.stop('SIGINT');
    await new Promise<void>(resolve => (installer ? installer.close(() => resolve()) : resolve()));
    work?.remove();
  }, 120_000);

  it('`curl -L <url> | bash` in a new directory installs aztec-spartan.sh', async () => {
    // Asynchronously: the installer is served from this process, which a synchronous child would block.
    const { stdout } = await run('bash', ['-c', `mkdir val1 && cd val1 && curl -sSL ${installUrl} | bash`], {
      cwd: work.dir,
      env: env(),
      timeout: 60_000,
    });
    expect(stdout).toContain('./aztec-spartan.sh config');
    expect(statSync(join(dir, 'aztec-spartan.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(dir, 'aztec-spartan.sh'), 'utf8')).toBe(
      readFileSync(join(root, 'spartan', 'aztec-spartan.sh'), 'utf8'),
    );
  });

  it('config through its questions in a terminal, then again with the guide’s options', async () => {
    const { code, transcript } = await inTerminal(
      './aztec-spartan.sh config',
      [
        { prompt: /Network \[alpha-testnet\]: /, answer: 'local' },
        { prompt: /\(ETHEREUM_HOSTS\): /, answer: net.l1Url },
        { prompt: /beacon \(consensus\) API URL\(s\), comma separated: /, answer: net.l1Url },
        { prompt: /Beacon API key \(Enter for none\): /, answer: '' },
        { prompt: /Public IP address of this machine.*: /, answer: '127.0.0.1' },
        { prompt: /P2P port \(TCP and UDP\) \[40400\]: /, answer: '' },
        { prompt: /Node port \(JSON-RPC\) \[8080\]: /, answer: '' },
        { prompt: /Validator private key \(input hidden\): /, answer: OPERATOR.privateKey },
        { prompt: /COINBASE: L1 address receiving block rewards.*: /, answer: OPERATOR.address },
        { prompt: /FEE_RECIPIENT: .*: /, answer: '' },
        { prompt: /named Docker volume or a local directory\? \(volume\/dir\) \[volume\]: /, answer: 'dir' },
        { prompt: /Local directory for the node's data \[.*\/aztec-data\]: /, answer: '' },
        { prompt: /Docker image of the node \[aztec-sequencer-node:latest\]: /, answer: ctx.image },
        { prompt: /Bootnode URL .*: /, answer: net.rpcUrl },
      ],
      { cwd: dir, env: env(), timeoutMs: 60_000 },
    );
    expect(code, transcript).toBe(0);
    expect(transcript).not.toContain(OPERATOR.privateKey.slice(2));

    // The guide's options on top: unique ports for this node (the defaults may be taken on a shared machine).
    const r = spartan(['config', '--non-interactive', '-p', String(port), '-p2p', String(p2pPort)]);
    expect(r.code, r.stderr).toBe(0);
    const vars = parseEnvFile(join(dir, '.env'));
    expect(vars).toMatchObject({
      NETWORK: 'local',
      ETHEREUM_HOSTS: net.l1Url,
      L1_CONSENSUS_HOST_URLS: net.l1Url,
      P2P_IP: '127.0.0.1',
      AZTEC_PORT: String(port),
      P2P_PORT: String(p2pPort),
      VALIDATOR_PRIVATE_KEY: OPERATOR.privateKey,
      COINBASE: OPERATOR.address,
      BOOTNODE_URL: net.rpcUrl,
      IMAGE: ctx.image,
      DATA_DIR: join(dir, 'aztec-data'),
      DOCKER_NETWORK_MODE: 'host',
    });
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('network_mode: host');
    expect(compose).not.toContain('ports:');
    // The P2P key where the guide says, kept by the second config, readable by the container's user.
    const keyFile = join(dir, 'aztec-data/var/lib/aztec/p2p-private-key');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(vars['PEER_ID_PRIVATE_KEY']);
    expect(statSync(keyFile).uid).toBe(1000);
  }, 120_000);

  it('start: the node container syncs (logs), answers the guide’s two curls on its port and turns healthy', async () => {
    const t0 = Date.now();
    const r = spartan(['start']);
    expect(r.code, r.stderr).toBe(0);
    containerId = composePs();
    expect(containerId).toMatch(/^[0-9a-f]{12,}$/);
    expect(inspect('{{.HostConfig.NetworkMode}}')).toBe('host');
    expect(inspect('{{.Config.Image}}')).toBe(ctx.image);

    // `./aztec-spartan.sh logs` follows the container: read it until the archiver downloads a block.
    const follower = spawn('./aztec-spartan.sh', ['logs'], { cwd: dir, env: env(), detached: true });
    let followed = '';
    follower.stdout.on('data', (d: Buffer) => (followed += d.toString()));
    follower.stderr.on('data', (d: Buffer) => (followed += d.toString()));
    try {
      await until(
        'Downloaded L2 block in ./aztec-spartan.sh logs',
        () => /Downloaded L2 block/.test(followed),
        120_000,
      );
    } finally {
      process.kill(-follower.pid!, 'SIGTERM');
    }
    figure('start → first "Downloaded L2 block" in logs', t0);

    // The guide's two curls: the proven block, then the archive sibling path at it.
    let proven = 0;
    await until(
      'a proven block on the container’s node',
      () =>
        (proven = Number((curl(port, 'node_getL2Tips', []) as { proven?: { number: number } })?.proven?.number ?? 0)) >
        0,
      180_000,
    );
    const path = curl(port, 'node_getArchiveSiblingPath', [proven, proven]);
    expect(typeof path).toBe('string');
    expect((path as string).length).toBeGreaterThan(64);

    await until('the container healthy', () => inspect('{{.State.Health.Status}}') === 'healthy', 120_000);
    figure('start → healthy', t0);
  }, 420_000);

  it('registers its validator with the sync proof read from the container (add-l1-validator --node-url)', () => {
    const r = runAztec(
      [
        'add-l1-validator',
        '--l1-rpc-urls',
        net.l1Url,
        '--attester',
        OPERATOR.address,
        '--node-url',
        `http://127.0.0.1:${port}`,
      ],
      { L1_PRIVATE_KEY: FUNDER.privateKey },
      120_000,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Staked validator ${OPERATOR.address}`);
  }, 180_000);

  it('a crash of the node process: the restart policy brings it back and it resumes from its data', async () => {
    const before = (curl(port, 'node_getL2Tips', []) as { latest: { number: number } }).latest.number;
    expect(before).toBeGreaterThan(1);
    const restarts = Number(inspect('{{.RestartCount}}'));
    // `docker kill` counts as a manual stop, which the restart policy respects; a crash is the process dying.
    const pid = Number(inspect('{{.State.Pid}}'));
    const crashedAt = new Date(Date.now() - 1000).toISOString();
    process.kill(pid, 'SIGKILL');
    await until(
      'the restart policy to restart the container',
      () => Number(inspect('{{.RestartCount}}')) > restarts,
      60_000,
    );
    await until('Downloaded L2 block after the restart', () => downloaded(logsSince(crashedAt)).length > 0, 120_000);
    const after = downloaded(logsSince(crashedAt));
    expect(after[0], `the first block downloaded after the crash (it had ${before})`).toBeGreaterThan(before);
    await until('the restarted container healthy', () => inspect('{{.State.Health.Status}}') === 'healthy', 120_000);
  }, 300_000);

  it('update: a new image under the same tag recreates the container; data and P2P key are kept', async () => {
    const enrBefore = (curl(port, 'node_getNodeInfo', []) as { enr?: string }).enr;
    expect(enrBefore).toMatch(/^enr:/);
    const before = (curl(port, 'node_getL2Tips', []) as { latest: { number: number } }).latest.number;
    const oldImage = inspect('{{.Image}}');
    // A rebuilt local tag (a registry's `pull` is what an operator with one gets; `update` tries it first).
    const rebuilt = spawnSync('docker', ['build', '-t', ctx.image, '-'], {
      input: `FROM ${ctx.image}\nLABEL org.opencontainers.image.revision="journey-${Date.now()}"\n`,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      timeout: 120_000,
    });
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    const updatedAt = new Date(Date.now() - 1000).toISOString();
    const r = spartan(['update'], 180_000);
    expect(r.code, r.stderr).toBe(0);
    const previous = containerId;
    containerId = composePs();
    expect(containerId).not.toBe(previous);
    expect(inspect('{{.Image}}')).not.toBe(oldImage);
    await until('Downloaded L2 block after the update', () => downloaded(logsSince(updatedAt)).length > 0, 120_000);
    expect(downloaded(logsSince(updatedAt))[0]).toBeGreaterThan(before);
    const enrAfter = (curl(port, 'node_getNodeInfo', []) as { enr?: string }).enr;
    // The same P2P identity: the peer id in the ENR is unchanged.
    const peerId = (enr: string | undefined) => ENR.decodeTxt(enr!).peerId.toString();
    expect(enrAfter).toMatch(/^enr:/);
    expect(peerId(enrAfter)).toBe(peerId(enrBefore));
    await until('the updated container healthy', () => inspect('{{.State.Health.Status}}') === 'healthy', 120_000);
  }, 360_000);

  it('the registered validator sits in a committee and its signatures are on L1 blocks', async () => {
    const l1 = createL1PublicClient({ rpcUrls: [net.l1Url], chainId: 31337 });
    const rollup = net.rollup;
    const inCommittee = async () =>
      (await l1.readContract({ address: rollup, abi: RollupAbi, functionName: 'getCurrentEpochCommittee' })).some(
        a => a.toLowerCase() === OPERATOR.address.toLowerCase(),
      );
    await until('the operator’s validator in the current committee', inCommittee, 300_000);

    // Its signature on a block that L1 accepted: recover every attestation of each new propose call.
    const proposed = parseAbiItem(
      'event L2BlockProposed(uint256 indexed blockNumber, bytes32 indexed archive, bytes32[] versionedBlobHashes)',
    );
    const from = await l1.getBlockNumber();
    const signedByOperator = async (): Promise<boolean> => {
      const logs = await l1.getLogs({ address: rollup, event: proposed, fromBlock: from });
      for (const log of logs) {
        const tx = await l1.getTransaction({ hash: log.transactionHash });
        const { args } = decodeFunctionData({ abi: RollupAbi, data: tx.input });
        const [header, archive, attestations] = args as unknown as [Hex, Hex, { v: number; r: Hex; s: Hex }[]];
        const { args: event } = decodeEventLog({ abi: [proposed], data: log.data, topics: log.topics });
        expect(event.archive).toBe(archive);
        const digest = proposalDigest(
          31337,
          rollup,
          frToHex(headerHash(decodeHeader(Buffer.from(header.slice(2), 'hex')))),
          archive,
        );
        for (const a of attestations) {
          if ((await recoverAttester(digest, a)).toLowerCase() === OPERATOR.address.toLowerCase()) return true;
        }
      }
      return false;
    };
    await until('a block on L1 carrying the operator’s attestation', signedByOperator, 240_000);
  }, 600_000);

  it('stop: the container is gone, the data directory and the P2P key stay', () => {
    const keyFile = join(dir, 'aztec-data/var/lib/aztec/p2p-private-key');
    const key = readFileSync(keyFile, 'utf8');
    const r = spartan(['stop']);
    expect(r.code, r.stderr).toBe(0);
    expect(composePs()).toBe('');
    expect(docker(['inspect', containerId]).code).not.toBe(0);
    containerId = '';
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    expect(existsSync(join(dir, 'aztec-data/var/lib/aztec'))).toBe(true);
  }, 120_000);
});

if (!ctx.available) {
  describe('the operator journey', () => it.skip(`NOT RUN, no Docker engine: ${ctx.reason.split('\n')[0]}`, () => {}));
}
