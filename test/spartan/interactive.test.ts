import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  BIN,
  DEV_ADDRESS,
  DEV_KEY,
  composeConfig,
  fakeDocker,
  inTerminal,
  parseEnvFile,
  spartanEnv,
  tempDir,
} from './helpers.js';

/** The tool's questions, answered in a pseudo-terminal as an operator would, wrong answers included. */
describe('aztec-spartan config, through its questions in a terminal', () => {
  let dir: string;
  let remove: () => void;

  beforeEach(() => ({ dir, remove } = tempDir()));
  afterEach(() => remove());

  it('asks with defaults, re-asks after a wrong answer, hides the keys, and writes what was answered', async () => {
    const env = spartanEnv({ AZTEC_SPARTAN_DOCKER: fakeDocker(dir) });
    const { code, transcript } = await inTerminal(
      `'${process.execPath}' '${BIN}' config`,
      [
        { prompt: /Network \[alpha-testnet\]: /, answer: 'local' },
        { prompt: /\(ETHEREUM_HOSTS\): /, answer: 'not-a-url' },
        {
          prompt: /Not valid: expected one or more http\(s\):\/\/ URLs.*\n.*\(ETHEREUM_HOSTS\): /,
          answer: 'http://10.0.0.1:8545',
        },
        { prompt: /beacon \(consensus\) API URL\(s\), comma separated: /, answer: 'http://10.0.0.1:5052' },
        { prompt: /Beacon API key \(Enter for none\): /, answer: 'sekret-api-key' },
        { prompt: /Header carrying the beacon API key.*: /, answer: 'X-API-KEY' },
        { prompt: /Public IP address of this machine.*: /, answer: '203.0.113.9' },
        { prompt: /P2P port \(TCP and UDP\) \[40400\]: /, answer: '' },
        { prompt: /Node port \(JSON-RPC\) \[8080\]: /, answer: '99999' },
        { prompt: /Not valid: expected a port number.*\n.*Node port \(JSON-RPC\) \[8080\]: /, answer: '8081' },
        { prompt: /Validator private key \(input hidden\): /, answer: '0x1234' },
        { prompt: /Not valid: expected 32 bytes.*\n.*Validator private key \(input hidden\): /, answer: DEV_KEY },
        { prompt: new RegExp(`COINBASE: L1 address receiving block rewards \\[${DEV_ADDRESS}\\]: `), answer: '' },
        { prompt: /FEE_RECIPIENT: .*: /, answer: '' },
        { prompt: /named Docker volume or a local directory\? \(volume\/dir\) \[volume\]: /, answer: 'dir' },
        { prompt: /Local directory for the node's data \[.*\/aztec-data\]: /, answer: '' },
        { prompt: /Docker image of the node \[aztec-sequencer-node:latest\]: /, answer: '' },
        { prompt: /Bootnode URL .*: /, answer: '' },
      ],
      { cwd: dir, env },
    );
    expect(code, transcript).toBe(0);
    expect(transcript).toContain('Wrote .env');
    // Hidden input: neither key is echoed to the terminal.
    expect(transcript).not.toContain(DEV_KEY.slice(2));
    expect(transcript).not.toContain('sekret-api-key');

    const vars = parseEnvFile(join(dir, '.env'));
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(vars).toMatchObject({
      NETWORK: 'local',
      ETHEREUM_HOSTS: 'http://10.0.0.1:8545',
      L1_CONSENSUS_HOST_URLS: 'http://10.0.0.1:5052',
      L1_CONSENSUS_HOST_API_KEYS: 'sekret-api-key',
      L1_CONSENSUS_HOST_API_KEY_HEADERS: 'X-API-KEY',
      P2P_IP: '203.0.113.9',
      P2P_PORT: '40400',
      AZTEC_PORT: '8081',
      VALIDATOR_PRIVATE_KEY: DEV_KEY,
      COINBASE: DEV_ADDRESS,
      IMAGE: 'aztec-sequencer-node:latest',
      DATA_DIR: join(dir, 'aztec-data'),
      DATA_DIRECTORY: '/var/lib/aztec',
    });
    const keyFile = join(dir, 'aztec-data/var/lib/aztec/p2p-private-key');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(vars['PEER_ID_PRIVATE_KEY']);
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('network_mode: host');
    expect(compose).toContain("fetch('http://127.0.0.1:8081/status')");
    expect(compose).toContain(`"${dir}/aztec-data/var/lib/aztec:/var/lib/aztec"`);
    expect(composeConfig(dir).code).toBe(0);

    // A second run in the terminal offers the answers given as defaults: Enter everywhere keeps everything.
    const again = await inTerminal(
      `'${process.execPath}' '${BIN}' config`,
      [
        { prompt: /Network \[local\]: /, answer: '' },
        { prompt: /\(ETHEREUM_HOSTS\) \[http:\/\/10\.0\.0\.1:8545\]: /, answer: '' },
        { prompt: /comma separated \[http:\/\/10\.0\.0\.1:5052\]: /, answer: '' },
        { prompt: /Beacon API key \(Enter for none\) \[keep the current one\]: /, answer: '' },
        { prompt: /Header carrying the beacon API key.*\[X-API-KEY\]: /, answer: '' },
        { prompt: /Public IP address of this machine.*\[203\.0\.113\.9\]: /, answer: '' },
        { prompt: /P2P port \(TCP and UDP\) \[40400\]: /, answer: '' },
        { prompt: /Node port \(JSON-RPC\) \[8081\]: /, answer: '' },
        { prompt: /Validator private key \(input hidden\) \[keep the current one\]: /, answer: '' },
        { prompt: /COINBASE: .*: /, answer: '' },
        { prompt: /FEE_RECIPIENT: .*: /, answer: '' },
        { prompt: /\(volume\/dir\) \[dir\]: /, answer: '' },
        { prompt: /Local directory for the node's data \[.*\]: /, answer: '' },
        { prompt: /Docker image of the node \[.*\]: /, answer: '' },
        { prompt: /Bootnode URL .*: /, answer: '' },
      ],
      { cwd: dir, env },
    );
    expect(again.code, again.transcript).toBe(0);
    expect(parseEnvFile(join(dir, '.env'))).toEqual(vars);
  }, 120_000);
});
