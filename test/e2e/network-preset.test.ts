import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { startAnvil, type Anvil } from '../../src/l1/anvil.js';
import { runAztec } from '../helpers/cli.js';

/** The `local` preset carries the local network's addresses; an L1 without those contracts is named as such. */
describe('--network local against an L1 without the network', () => {
  let anvil: Anvil;
  beforeAll(async () => {
    anvil = await startAnvil();
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  it('says there is no rollup at the preset address, and how to fix it', async () => {
    const [port, adminPort] = [await getFreePort(), await getFreePort()];
    const r = runAztec([
      'start',
      '--network',
      'local',
      '--l1-rpc-urls',
      anvil.url,
      '--l1-consensus-host-url',
      anvil.url,
      '--archiver',
      '--node',
      '--port',
      String(port),
      '--admin-port',
      String(adminPort),
      '--host',
      '127.0.0.1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('There is no contract at the rollup address 0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9');
    expect(r.stderr).toContain('a restarted anvil loses its contracts');
  });
});
