import { afterEach, describe, expect, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { isAlive, spawnAztec, type AztecProcess } from '../helpers/cli.js';

/** The README's main command: `aztec start --local-network`. */
describe('aztec start --local-network', () => {
  let proc: AztecProcess | undefined;
  afterEach(async () => {
    await proc?.stop('SIGKILL');
  });

  it('starts an L1, deploys, stakes the validators, prints them, and stops its L1 on Ctrl-C', async () => {
    const port = await getFreePort();
    const url = `http://127.0.0.1:${port}`;
    proc = spawnAztec(['start', '--local-network', '--validators', '3'], { ETHEREUM_HOSTS: url });
    await proc.waitFor(/Press Ctrl-C to stop/);
    const { stdout } = proc.output();
    const rollup = /rollup\s+(0x[0-9a-fA-F]{40})/.exec(stdout)?.[1] as `0x${string}` | undefined;
    const pid = Number(/pid (\d+)/.exec(stdout)?.[1]);
    expect(rollup).toBeDefined();
    for (const i of [1, 2, 3]) expect(stdout).toContain(`${devAccount(i).address}   anvil account #${i}`);

    // The validators are the committee of the first epoch, so the network can produce blocks from slot 0.
    const client = createL1PublicClient({ rpcUrls: [url], chainId: 31337 });
    const committee = await client.readContract({
      address: rollup!,
      abi: RollupAbi,
      functionName: 'getEpochCommittee',
      args: [0n],
    });
    expect([...committee].sort()).toEqual([1, 2, 3].map(i => devAccount(i).address).sort());
    // The L1 keeps producing blocks on its own (ETHEREUM_SLOT_DURATION of the local preset: 2 s).
    const first = await client.getBlockNumber();
    await proc.waitFor(/"msg":"Slot \d+"|Slot \d+/);
    let now = first;
    for (let i = 0; i < 100 && now === first; i++) {
      await new Promise(r => setTimeout(r, 100));
      now = await client.getBlockNumber({ cacheTime: 0 });
    }
    expect(now).toBeGreaterThan(first);

    expect(await proc.stop('SIGINT')).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('says what to do when the L1 port is taken', async () => {
    const port = await getFreePort();
    const url = `http://127.0.0.1:${port}`;
    const first = spawnAztec(['start', '--local-network'], { ETHEREUM_HOSTS: url });
    proc = first;
    await first.waitFor(/Press Ctrl-C to stop/);
    const second = spawnAztec(['start', '--local-network'], { ETHEREUM_HOSTS: url });
    try {
      await expect(second.waitFor(/Press Ctrl-C/, 30_000)).rejects.toThrow(/exited \(1\)/);
      expect(second.output().stderr).toContain(`Could not start the local L1 on 127.0.0.1:${port}`);
    } finally {
      await second.stop('SIGKILL');
    }
  });
});
