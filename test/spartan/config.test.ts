import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  DEV_ADDRESS,
  DEV_KEY,
  composeConfig,
  fakeDocker,
  parseEnvFile,
  root,
  runSpartan,
  spartanEnv,
  tempDir,
} from './helpers.js';

const HEX64 = /^[0-9a-f]{64}$/;

describe('aztec-spartan config, driven by options', () => {
  let dir: string;
  let remove: () => void;
  let env: Record<string, string>;
  const base = ['-e', 'http://10.0.0.1:8545,http://10.0.0.2:8545', '-c', 'http://10.0.0.1:5052', '-ip', '203.0.113.7'];

  beforeEach(() => {
    ({ dir, remove } = tempDir());
    env = spartanEnv({ AZTEC_SPARTAN_DOCKER: fakeDocker(dir), VALIDATOR_PRIVATE_KEY: DEV_KEY });
  });
  afterEach(() => remove());

  const config = (args: string[], extraEnv: Record<string, string> = {}, via: 'script' | 'bin' = 'script') =>
    runSpartan(['config', '--non-interactive', ...args], { cwd: dir, env: { ...env, ...extraEnv }, via });

  it('prints every command and option without a command', () => {
    const r = runSpartan([], { cwd: dir, env });
    expect(r.code).toBe(0);
    for (const word of ['config', 'start', 'stop', 'logs', 'update', 'status']) expect(r.stdout).toMatch(`  ${word} `);
    for (const opt of ['-n,', '-e,', '-c,', '-ck,', '-ch,', '-ip,', '-p2p,', '-p,', '-k,', '-pk,', '-cb,', '-fr,']) {
      expect(r.stdout).toContain(`  ${opt}`);
    }
    for (const opt of ['-d,', '--volume', '-i,', '-b,', '--overwrite', '--non-interactive', '-y,']) {
      expect(r.stdout).toContain(opt);
    }
    expect(r.stdout).toContain('npx aztec-spartan config -p 8080 -p2p 40400');
  });

  it('writes .env (mode 600) and docker-compose.yml field by field, and docker-compose validates it', () => {
    const r = config([...base, '-p', '8080', '-p2p', '40400'], { SEQ_MAX_TX_PER_BLOCK: '8', P2P_MAX_PEERS: '50' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Next: ./aztec-spartan.sh start');

    const envFile = join(dir, '.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const vars = parseEnvFile(envFile);
    const { PEER_ID_PRIVATE_KEY, ...rest } = vars;
    expect(PEER_ID_PRIVATE_KEY).toMatch(HEX64);
    expect(rest).toEqual({
      IMAGE: 'aztec-sequencer-node:latest',
      NETWORK: 'alpha-testnet',
      ETHEREUM_HOSTS: 'http://10.0.0.1:8545,http://10.0.0.2:8545',
      L1_CONSENSUS_HOST_URLS: 'http://10.0.0.1:5052',
      VALIDATOR_PRIVATE_KEY: DEV_KEY,
      AZTEC_PORT: '8080',
      P2P_ENABLED: 'true',
      P2P_IP: '203.0.113.7',
      P2P_PORT: '40400',
      DATA_DIRECTORY: '/var/lib/aztec',
      DATA_VOLUME: 'aztec-data',
      DOCKER_NETWORK_MODE: 'host',
      // The guide's variables set in the environment go in too.
      SEQ_MAX_TX_PER_BLOCK: '8',
      P2P_MAX_PEERS: '50',
    });
    // The key is nowhere in what the tool printed.
    expect(r.stdout + r.stderr).not.toContain(DEV_KEY.slice(2));
    expect(r.stdout + r.stderr).not.toContain(PEER_ID_PRIVATE_KEY);

    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('image: "aztec-sequencer-node:latest"');
    expect(compose).toContain('env_file: .env');
    expect(compose).toContain('command: ["start", "--node", "--archiver", "--sequencer"]');
    expect(compose).toContain('restart: unless-stopped');
    expect(compose).toContain('- "aztec-data:/var/lib/aztec"');
    expect(compose).toMatch(/\nvolumes:\n {2}aztec-data:\n/);
    expect(compose).not.toContain(DEV_KEY.slice(2));

    // docker-compose's own reading of it.
    const c = composeConfig(dir);
    expect(c.code, c.stderr).toBe(0);
    const normalized = c.stdout;
    expect(normalized).toContain('image: aztec-sequencer-node:latest');
    expect(normalized).toMatch(/command:\n {4}- start\n {4}- --node\n {4}- --archiver\n {4}- --sequencer\n/);
    // The host's network: the node binds 8080 and 40400 on this machine itself, nothing is published.
    expect(normalized).toContain('network_mode: host');
    expect(normalized).not.toContain('ports:');
    expect(normalized).toContain('restart: unless-stopped');
    expect(normalized).toContain('- aztec-data:/var/lib/aztec:rw');
    expect(normalized).toContain("fetch(''http://127.0.0.1:8080/status'')");
    expect(normalized).toMatch(/volumes:\n {2}aztec-data: \{\}/);
    // env_file is read: every variable reaches the container's environment.
    expect(normalized).toContain('ETHEREUM_HOSTS: http://10.0.0.1:8545,http://10.0.0.2:8545');
    expect(normalized).toContain("P2P_PORT: '40400'");
  });

  it('--network-mode bridge publishes the node port and the P2P port (TCP and UDP) instead; a bad mode is refused', () => {
    const r = config([...base, '-p', '8081', '-p2p', '40401', '--network-mode', 'bridge']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseEnvFile(join(dir, '.env')).DOCKER_NETWORK_MODE).toBe('bridge');
    const c = composeConfig(dir);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).not.toContain('network_mode');
    for (const [proto, port] of [
      ['tcp', 8081],
      ['tcp', 40401],
      ['udp', 40401],
    ] as const) {
      expect(c.stdout).toContain(`- protocol: ${proto}\n      published: ${port}\n      target: ${port}\n`);
    }
    // The next config keeps the mode from .env.
    expect(config([...base]).code).toBe(0);
    expect(parseEnvFile(join(dir, '.env')).DOCKER_NETWORK_MODE).toBe('bridge');

    const bad = config([...base, '--network-mode', 'overlay']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(
      "bad value for --network-mode: 'overlay' (DOCKER_NETWORK_MODE): expected host or bridge",
    );
  });

  it('binds a local directory and keeps the P2P key at $DATA_DIR/var/lib/aztec/p2p-private-key', () => {
    const data = join(dir, 'node-data');
    const r = config([...base, '-d', data, '-p', '8081', '-p2p', '40401', '-i', 'example/aztec:1.2.3']);
    expect(r.code, r.stderr).toBe(0);
    const vars = parseEnvFile(join(dir, '.env'));
    const keyFile = join(data, 'var/lib/aztec/p2p-private-key');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(vars['PEER_ID_PRIVATE_KEY']);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // Run as root, config hands the directory to the container's user (uid 1000); otherwise it says how.
    if (process.getuid?.() === 0) {
      expect(statSync(keyFile).uid).toBe(1000);
      expect(statSync(join(data, 'var/lib/aztec')).uid).toBe(1000);
      expect(r.stdout).toContain('to uid 1000');
    } else if (process.getuid?.() !== 1000) {
      expect(r.stdout).toContain('sudo chown -R 1000:1000');
    }
    expect(vars['DATA_DIR']).toBe(data);
    expect(vars['DATA_VOLUME']).toBeUndefined();
    expect(vars['IMAGE']).toBe('example/aztec:1.2.3');
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`- "${data}/var/lib/aztec:/var/lib/aztec"`);
    expect(compose).not.toMatch(/^volumes:/m);
    expect(compose).toContain('network_mode: host');
    expect(compose).toContain("fetch('http://127.0.0.1:8081/status')");
    const c = composeConfig(dir);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain(`- ${data}/var/lib/aztec:/var/lib/aztec:rw`);
  });

  it('a second config keeps the P2P key and the values edited in .env; -pk replaces the key; --overwrite resets', () => {
    expect(config(base).code).toBe(0);
    const first = parseEnvFile(join(dir, '.env'));
    // The operator edits .env: a value the tool manages and one of their own.
    const edited = readFileSync(join(dir, '.env'), 'utf8')
      .replace('NETWORK=alpha-testnet', 'NETWORK=local')
      .concat('SEQ_MIN_TX_PER_BLOCK=2\n');
    writeFileSync(join(dir, '.env'), edited);

    const again = config(['-p', '9090']);
    expect(again.code, again.stderr).toBe(0);
    const second = parseEnvFile(join(dir, '.env'));
    expect(second['PEER_ID_PRIVATE_KEY']).toBe(first['PEER_ID_PRIVATE_KEY']);
    expect(second['NETWORK']).toBe('local');
    expect(second['SEQ_MIN_TX_PER_BLOCK']).toBe('2');
    expect(second['ETHEREUM_HOSTS']).toBe(first['ETHEREUM_HOSTS']);
    expect(second['AZTEC_PORT']).toBe('9090'); // an option beats .env
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain("fetch('http://127.0.0.1:9090/status')");

    const pk = 'ab'.repeat(32);
    expect(config(['-pk', pk]).code).toBe(0);
    expect(parseEnvFile(join(dir, '.env'))['PEER_ID_PRIVATE_KEY']).toBe(pk);

    const reset = config([...base, '--overwrite']);
    expect(reset.code, reset.stderr).toBe(0);
    const third = parseEnvFile(join(dir, '.env'));
    expect(third['NETWORK']).toBe('alpha-testnet');
    expect(third['SEQ_MIN_TX_PER_BLOCK']).toBeUndefined();
    expect(third['AZTEC_PORT']).toBe('8080');
    expect(third['PEER_ID_PRIVATE_KEY']).toBe(pk); // the identity survives even --overwrite
  });

  it('the beacon API key and header, P2P_QUERY_FOR_IP, COINBASE and FEE_RECIPIENT', () => {
    const fee = `0x${'12'.repeat(32)}`;
    const r = config([
      '-e',
      'https://l1.example.org',
      '-c',
      'https://beacon.example.org',
      '-ck',
      'abc123',
      '-ch',
      'X-API-KEY',
      '-ip',
      'query',
      '-cb',
      DEV_ADDRESS,
      '-fr',
      fee,
      '-n',
      'local',
      '-b',
      'https://boot.example.org',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const vars = parseEnvFile(join(dir, '.env'));
    expect(vars).toMatchObject({
      L1_CONSENSUS_HOST_API_KEYS: 'abc123',
      L1_CONSENSUS_HOST_API_KEY_HEADERS: 'X-API-KEY',
      P2P_QUERY_FOR_IP: 'true',
      COINBASE: DEV_ADDRESS,
      FEE_RECIPIENT: fee,
      NETWORK: 'local',
      BOOTNODE_URL: 'https://boot.example.org',
    });
    expect(vars['P2P_IP']).toBeUndefined();
  });

  it('the npm bin defaults COINBASE to the validator key’s address', () => {
    const r = config(base, {}, 'bin');
    expect(r.code, r.stderr).toBe(0);
    expect(parseEnvFile(join(dir, '.env'))['COINBASE']).toBe(DEV_ADDRESS);
  });

  it('--non-interactive fails listing what is missing; bad option values are refused', () => {
    const r = runSpartan(['config', '--non-interactive', '-ip', '203.0.113.7'], {
      cwd: dir,
      env: spartanEnv({ AZTEC_SPARTAN_DOCKER: env['AZTEC_SPARTAN_DOCKER']! }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing values');
    for (const v of ['ETHEREUM_HOSTS (-e', 'L1_CONSENSUS_HOST_URLS (-c', 'VALIDATOR_PRIVATE_KEY (-k']) {
      expect(r.stderr).toContain(v);
    }
    expect(existsSync(join(dir, '.env'))).toBe(false);

    for (const [args, what] of [
      [['-p', '70000'], 'AZTEC_PORT'],
      [['-p2p', 'x'], 'P2P_PORT'],
      [['-k', '0x1234'], 'VALIDATOR_PRIVATE_KEY'],
      [['-pk', 'zz'], '-pk'],
      [['-cb', '0x12'], 'COINBASE'],
      [['-e', 'ftp://x'], 'ETHEREUM_HOSTS'],
      [['-ip', 'not an ip'], 'P2P_IP'],
    ] as const) {
      const bad = config([...base, ...args]);
      expect(bad.code, args.join(' ')).toBe(1);
      expect(bad.stderr).toContain(what);
    }
  });

  it('without Docker or Docker Compose, offers to install them, and on "no" explains how and stops', () => {
    const missing = {
      AZTEC_SPARTAN_DOCKER: join(dir, 'no-docker'),
      AZTEC_SPARTAN_DOCKER_COMPOSE: join(dir, 'no-docker-compose'),
    };
    const r = runSpartan(['config', ...base], { cwd: dir, env: { ...env, ...missing }, input: 'n\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Missing: Docker Docker Compose.');
    expect(r.stdout).toMatch(/Install Docker Docker Compose now .*\[y\/N\]/);
    expect(r.stderr).toContain('sudo apt-get install -y docker.io docker-compose');
    expect(existsSync(join(dir, '.env'))).toBe(false);
    // Non-interactive: no offer, the same explanation.
    const n = runSpartan(['config', '--non-interactive', ...base], { cwd: dir, env: { ...env, ...missing } });
    expect(n.code).toBe(1);
    expect(n.stderr).toContain('Docker Docker Compose needed');
  });

  it('start, stop, logs and update say what they need when no Docker engine runs; status when no node answers', () => {
    expect(config(base).code).toBe(0);
    for (const cmd of ['start', 'stop', 'logs', 'update']) {
      const r = runSpartan([cmd], { cwd: dir, env });
      expect(r.code, cmd).toBe(1);
      expect(r.stderr).toContain(`'${cmd}' needs a running Docker engine`);
      expect(r.stderr).toContain('Cannot connect to the Docker daemon');
    }
    // Before config: the compose file is what is missing.
    const { dir: empty, remove: removeEmpty } = tempDir();
    try {
      const r = runSpartan(['start'], { cwd: empty, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("run './aztec-spartan.sh config'");
    } finally {
      removeEmpty();
    }
    const s = runSpartan(['status'], { cwd: dir, env: { ...env, AZTEC_NODE_URL: 'http://127.0.0.1:9' } });
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('no node answers at http://127.0.0.1:9');
  });

  // Only where no engine answers: with one, `start` would really start a container (test/docker/ covers that).
  it.runIf(spawnSync('sh', ['-c', 'command -v docker']).status === 0 && spawnSync('docker', ['info']).status !== 0)(
    'with the real docker CLI of this machine, start explains that it needs a running engine',
    () => {
      const real = spartanEnv({ VALIDATOR_PRIVATE_KEY: DEV_KEY });
      expect(runSpartan(['config', '--non-interactive', ...base], { cwd: dir, env: real }).code).toBe(0);
      const r = runSpartan(['start'], { cwd: dir, env: real });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("'start' needs a running Docker engine");
    },
  );

  it('npx aztec-spartan config -p 8080 -p2p 40400 works as the guide says', () => {
    const r = spawnSync(
      'npx',
      ['--prefix', root, 'aztec-spartan', 'config', '-p', '8080', '-p2p', '40400', '--non-interactive', ...base],
      { cwd: dir, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const vars = parseEnvFile(join(dir, '.env'));
    expect(vars['AZTEC_PORT']).toBe('8080');
    expect(vars['P2P_PORT']).toBe('40400');
    expect(vars['COINBASE']).toBe(DEV_ADDRESS);
  });
});
