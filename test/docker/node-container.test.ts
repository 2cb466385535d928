import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { startLocalNetworkProcess, type AztecProcess } from '../helpers/cli.js';
import { until } from '../helpers/in-process-network.js';
import { curlJq, docker, dockerOk, downloaded } from './docker.js';

const ctx = inject('docker');

/**
 * Our image run as a following node, the guide's way (`start --archiver --node`, the L1 URLs in ETHEREUM_HOSTS and
 * L1_CONSENSUS_HOST_URLS), against a local network on the host; the host's network, a bind-mounted data directory.
 */
describe.skipIf(!ctx.available)('the node image as a following node', () => {
  let network: AztecProcess | undefined;
  let l1Url: string;
  let dataDir: string;
  let port: number;
  const name = `aztec-test-follower-${process.pid}`;
  const logs = (since?: string) => {
    const r = docker(['logs', ...(since ? ['--since', since] : []), name]);
    return r.stdout + r.stderr;
  };

  beforeAll(async () => {
    ({ proc: network, l1Url } = await startLocalNetworkProcess());
    dataDir = mkdtempSync(join(tmpdir(), 'aztec-docker-data-'));
    // The container runs as uid 1000 and writes its data here.
    chownSync(dataDir, 1000, 1000);
    port = await getFreePort();
  }, 180_000);

  afterAll(async () => {
    docker(['rm', '-f', name]);
    await network?.stop('SIGINT');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('syncs, answers the guide’s two calls, turns healthy, and resumes from its data after docker kill', async () => {
    const [adminPort, p2pPort] = [await getFreePort(), await getFreePort()];
    const t0 = Date.now();
    dockerOk([
      'run',
      '-d',
      '--name',
      name,
      '--network',
      'host',
      '-v',
      `${dataDir}:/var/lib/aztec`,
      // The image's check, more often than its 30 s, so the test need not wait minutes for `healthy`.
      '--health-interval',
      '2s',
      '-e',
      `ETHEREUM_HOSTS=${l1Url}`,
      '-e',
      `L1_CONSENSUS_HOST_URLS=${l1Url}`,
      '-e',
      `AZTEC_PORT=${port}`,
      '-e',
      `AZTEC_ADMIN_PORT=${adminPort}`,
      '-e',
      `P2P_PORT=${p2pPort}`,
      '-e',
      'AZTEC_HOST=127.0.0.1',
      '-e',
      'LOG_LEVEL=info',
      ctx.image,
      'start',
      '--network',
      'local',
      '--archiver',
      '--node',
    ]);

    await until('Downloaded L2 block in docker logs', () => /Downloaded L2 block/.test(logs()), 120_000);
    process.stdout.write(`container start → first Downloaded L2 block: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    expect(logs()).toMatch(/Starting archiver sync/);

    // The guide's "prove your node is synced": the proven block, then its archive sibling path.
    let proven = 0;
    await until(
      'a proven block on the container’s node',
      () => (proven = Number(curlJq(port, 'node_getL2Tips', [], '.result.proven.number'))) > 0,
      150_000,
    );
    const path = JSON.parse(curlJq(port, 'node_getArchiveSiblingPath', [proven, proven], '.result')) as unknown;
    expect(Array.isArray(path) || typeof path === 'string').toBe(true);
    expect(JSON.stringify(path).length).toBeGreaterThan(64);

    const health = () => dockerOk(['inspect', '--format', '{{.State.Health.Status}}', name]);
    await until('the container healthy', () => health() === 'healthy', 60_000);

    // docker kill (SIGKILL), docker start: it carries on from the data directory instead of syncing from block 1.
    const before = Number(curlJq(port, 'node_getL2Tips', [], '.result.latest.number'));
    expect(before).toBeGreaterThan(1);
    dockerOk(['kill', name]);
    const restartedAt = new Date().toISOString();
    dockerOk(['start', name]);
    await until('Downloaded L2 block after the restart', () => downloaded(logs(restartedAt)).length > 0, 120_000);
    const after = downloaded(logs(restartedAt));
    expect(after[0], `first block downloaded after the restart (had ${before})`).toBeGreaterThan(before);
    expect(Number(curlJq(port, 'node_getL2Tips', [], '.result.latest.number'))).toBeGreaterThan(before);
    await until('the restarted container healthy', () => health() === 'healthy', 60_000);
  }, 600_000);
});

if (!ctx.available) {
  describe('the node image', () => it.skip(`NOT RUN, no Docker engine: ${ctx.reason.split('\n')[0]}`, () => {}));
}
