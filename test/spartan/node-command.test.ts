import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { spawnAztec, startLocalNetworkProcess, type AztecProcess } from '../helpers/cli.js';
import { composeCommand, fakeDocker, parseEnvFile, runSpartan, spartanEnv, tempDir } from './helpers.js';

/**
 * The generated compose file is not only well-formed: its command, run outside Docker with the generated .env as the
 * environment, starts a node that syncs a local network.
 */
describe('the generated docker-compose command, run outside Docker', () => {
  let network: AztecProcess;
  let node: AztecProcess | undefined;
  let l1Url: string;
  let rollup: string;
  let work: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    work = tempDir();
    ({ proc: network, l1Url, rollup } = await startLocalNetworkProcess());
  }, 180_000);

  afterAll(async () => {
    await node?.stop('SIGINT');
    await network?.stop('SIGINT');
    work?.remove();
  });

  it('starts a node with the compose command and the .env that syncs L2 blocks', async () => {
    const [port, p2pPort, adminPort] = [await getFreePort(), await getFreePort(), await getFreePort()];
    // A fresh key that is no validator of the local network: the sequencer runs but is never the proposer.
    const validatorKey = `0x${'3c'.repeat(32)}`;
    const r = runSpartan(
      [
        'config',
        '--non-interactive',
        '-n',
        'local',
        '-e',
        l1Url,
        '-c',
        l1Url,
        '-ip',
        '127.0.0.1',
        '-p',
        String(port),
        '-p2p',
        String(p2pPort),
        '-k',
        validatorKey,
        '-d',
        join(work.dir, 'data'),
      ],
      { cwd: work.dir, env: spartanEnv({ AZTEC_SPARTAN_DOCKER: fakeDocker(work.dir) }) },
    );
    expect(r.code, r.stderr).toBe(0);

    const command = composeCommand(join(work.dir, 'docker-compose.yml'));
    expect(command).toEqual(['start', '--node', '--archiver', '--sequencer']);
    const env = parseEnvFile(join(work.dir, '.env'));
    node = spawnAztec(command, {
      ...env,
      // What Docker provides and the test must add: the container's /var/lib/aztec is the bind-mounted directory;
      // the admin port stays inside the container; the local preset carries no contract addresses yet.
      DATA_DIRECTORY: join(env['DATA_DIR']!, 'var/lib/aztec'),
      AZTEC_ADMIN_PORT: String(adminPort),
      AZTEC_HOST: '127.0.0.1',
      ROLLUP_CONTRACT_ADDRESS: rollup,
      LOG_LEVEL: 'info',
    });
    await node.waitFor(/Sequencer started/, 90_000);
    await node.waitFor(/Downloaded L2 block/, 120_000);

    // The healthcheck's endpoint answers on the node port of .env.
    const status = await fetch(`http://127.0.0.1:${env['AZTEC_PORT']}/status`);
    expect(status.ok).toBe(true);

    // And `aztec-spartan status` reads the tips from it.
    const s = runSpartan(['status'], { cwd: work.dir, env: spartanEnv() });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/Latest block: {4}[1-9]\d*/);
    expect(s.stdout).toMatch(/Peers: /);
  }, 300_000);
});
