import { afterAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { getFreePort } from '../../src/foundation/net/free-port.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { nodeApiSchema } from '../../src/node/api/schema.js';
import type { AztecConfig } from '../../src/node/config.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/**
 * A committee of two over P2P: each validator's node proposes in its slots, the other re-executes and attests, and
 * the proposer publishes with both attestations (quorum of 2 is 2), which L1 checks.
 */
describe('a committee of two validators over P2P', () => {
  let network: InProcessNetwork | undefined;
  afterAll(async () => {
    await network?.stop();
  });

  it('produces blocks carrying both attestations', async () => {
    configureLogging({ level: 'warn' });
    network = await startInProcessNetwork({ validators: 2 });
    const withP2p =
      (account: number, port: number, bootstrapNodes?: string[]) =>
      (c: AztecConfig): AztecConfig => ({
        ...c,
        validator: { ...c.validator, validatorPrivateKey: devAccount(account).privateKey },
        p2p: {
          ...c.p2p,
          enabled: true,
          p2pIp: '127.0.0.1',
          p2pPort: port,
          listenAddress: '127.0.0.1',
          ...(bootstrapNodes ? { bootstrapNodes } : {}),
        },
      });
    const modules = { node: true, archiver: true, sequencer: true, proverNode: false };
    const first = await network.addNode(modules, withP2p(1, await getFreePort()));
    const enr = await createRpcClient(first.rpcUrl, 'node', nodeApiSchema).getEncodedEnr();
    expect(enr).toMatch(/^enr:/);
    await network.addNode(modules, withP2p(2, await getFreePort(), [enr!]));

    await until('3 blocks', () => first.archiver.store.getLatestBlockNumber() >= 3n, 120_000);
    for (let n = 1n; n <= 3n; n++) {
      expect(first.archiver.store.getPublishedBlock(n)?.l1.attestations, `block ${n}`).toBe(2);
    }
    const rollup = network.net.deployment.addresses.rollup;
    const committee = await network.l1.readContract({
      address: rollup,
      abi: RollupAbi,
      functionName: 'getEpochCommittee',
      args: [0n],
    });
    expect(committee).toHaveLength(2);
  }, 180_000);
});
