import { afterEach, describe, expect, it } from 'vitest';

import { getFreePort } from '../../src/foundation/net/free-port.js';
import { spawnAztec, type AztecProcess } from '../helpers/cli.js';

/** `aztec start --p2p-bootstrap`: a bootnode that serves discovery only and prints its ENR. */
describe('aztec start --p2p-bootstrap', () => {
  let proc: AztecProcess | undefined;
  afterEach(async () => {
    await proc?.stop('SIGKILL');
  });

  it('prints its ENR, keeps its identity in the data directory, and stops on Ctrl-C', async () => {
    const port = await getFreePort();
    const key = `0x${'42'.repeat(32)}`;
    const env = { P2P_PORT: String(port), P2P_IP: '127.0.0.1', P2P_LISTEN_ADDR: '127.0.0.1', PEER_ID_PRIVATE_KEY: key };
    proc = spawnAztec(['start', '--p2p-bootstrap'], env);
    await proc.waitFor(/Bootnode ENR[^\n]*\nenr:\S+/);
    const enr = /\n(enr:\S+)/.exec(proc.output().stdout)![1];
    expect(await proc.stop('SIGINT')).toBe(0);

    // The same key gives the same identity: the ENR operators put in BOOTSTRAP_NODES stays valid across restarts.
    proc = spawnAztec(['start', '--p2p-bootstrap'], env);
    await proc.waitFor(/Bootnode ENR[^\n]*\nenr:\S+/);
    expect(/\n(enr:\S+)/.exec(proc.output().stdout)![1]).toBe(enr);
  });
});
