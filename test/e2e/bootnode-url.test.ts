import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { runAztec, spawnAztec, startLocalNetworkProcess, type AztecProcess } from '../helpers/cli.js';

/**
 * BOOTNODE_URL: a node started with only the bootnode's URL and the L1 URLs gets the chain id, the contract
 * addresses and the bootstrap ENRs from it (here the local network's node serves `/network-config`), keeps a copy
 * for restarts, and refuses settings that conflict with it.
 */
describe('BOOTNODE_URL', () => {
  let network: AztecProcess;
  let l1Url: string;
  let bootnodeUrl: string;
  let dataDir: string;

  beforeAll(async () => {
    const started = await startLocalNetworkProcess();
    ({ proc: network, l1Url, rpcUrl: bootnodeUrl } = started);
    dataDir = mkdtempSync(join(tmpdir(), 'aztec-bootnode-url-'));
  });
  afterAll(async () => {
    await network?.stop('SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const follower = async (bootnode: string, extra: string[] = []) => {
    const [port, admin] = [await getFreePort(), await getFreePort()];
    const args = ['start', '--l1-rpc-urls', l1Url, '--l1-consensus-host-url', l1Url, '--archiver', '--node'];
    return [
      ...args,
      '--port',
      String(port),
      '--admin-port',
      String(admin),
      '--host',
      '127.0.0.1',
      '--data-directory',
      dataDir,
      ...extra,
    ];
  };

  it('syncs with only the bootnode URL and the L1 URLs, and restarts from its saved copy while the bootnode is down', async () => {
    let node = spawnAztec(await follower(bootnodeUrl), { BOOTNODE_URL: bootnodeUrl });
    try {
      await node.waitFor(/Downloaded L2 block 1\b/, 90_000);
    } finally {
      expect(await node.stop('SIGINT')).toBe(0);
    }
    const down = `http://127.0.0.1:${await getFreePort()}`;
    node = spawnAztec(await follower(down), { BOOTNODE_URL: down });
    try {
      await node.waitFor(
        /Starting archiver sync to rollup contract 0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9/,
        60_000,
      );
    } finally {
      await node.stop('SIGINT');
    }
  }, 180_000);

  it('prints the network as a preset that --network takes as a file or a URL', async () => {
    const printed = runAztec(['network-config', '--node-url', bootnodeUrl, '--name', 'mine']);
    expect(printed.code, printed.stderr).toBe(0);
    const preset = JSON.parse(printed.stdout) as { name: string; values: Record<string, string> };
    expect(preset.name).toBe('mine');
    expect(preset.values['ROLLUP_CONTRACT_ADDRESS']).toBe('0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9');
    expect(preset.values['L1_CHAIN_ID']).toBe('31337');
    const file = join(dataDir, 'mine.json');
    writeFileSync(file, printed.stdout);

    const server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(printed.stdout),
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const presetUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mine.json`;
    try {
      for (const network of [file, presetUrl]) {
        const node = spawnAztec((await follower('')).concat(['--network', network]));
        try {
          await node.waitFor(
            /Starting archiver sync to rollup contract 0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9/,
            60_000,
          );
        } finally {
          await node.stop('SIGINT');
        }
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it('refuses a setting that conflicts with the bootnode, naming both values', async () => {
    const other = '0x00000000000000000000000000000000000000aa';
    const r = runAztec(await follower(bootnodeUrl, ['--l1.rollupAddress', other]), { BOOTNODE_URL: bootnodeUrl });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /rollupAddress: you set 0x0{38}[aA]{2}, the bootnode says 0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9/,
    );
  });

  it('fails clearly when the bootnode does not answer and nothing was saved', async () => {
    const down = `http://127.0.0.1:${await getFreePort()}`;
    const fresh = mkdtempSync(join(tmpdir(), 'aztec-bootnode-none-'));
    try {
      const args = (await follower(down)).map(a => (a === dataDir ? fresh : a));
      const r = runAztec(args, { BOOTNODE_URL: down });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`The bootnode at ${down} (--bootnode-url / BOOTNODE_URL) did not answer`);
      expect(r.stderr).toContain('there is no saved copy');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('names the L1 URL whose chain id differs from the configured one', async () => {
    const r = runAztec(await follower(bootnodeUrl, ['--l1-chain-id', '5']));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`L1 RPC ${l1Url} is on chain 31337, but the configured L1 chain id is 5`);
  });
});
