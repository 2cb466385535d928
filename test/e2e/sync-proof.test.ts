import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { nodeApiSchema } from '../../src/node/api/schema.js';
import { runAztec, startLocalNetworkProcess, type LocalNetworkProcess } from '../helpers/cli.js';
import { until } from '../helpers/in-process-network.js';

/**
 * The guide's registration: "provide a proof that your node is synced with a recent block". The local network's
 * staking asset handler requires the proof, as a public network's does; `aztec add-l1-validator --node-url` reads it
 * from the node (the guide's two calls) and registers with it.
 */
describe('aztec add-l1-validator with a sync proof', () => {
  let net: LocalNetworkProcess;
  const sender = { L1_PRIVATE_KEY: devAccount(9).privateKey };

  beforeAll(async () => {
    net = await startLocalNetworkProcess();
    const node = createRpcClient(net.rpcUrl, 'node', nodeApiSchema);
    await until('block 2 on the node', async () => (await node.getL2Tips()).latest.number >= 2, 90_000);
  }, 150_000);
  afterAll(async () => {
    await net?.proc.stop('SIGKILL');
  });

  it('is refused without a proof, saying how to get one', () => {
    const r = runAztec(['add-l1-validator', '--l1-rpc-urls', net.l1Url, '--attester', devAccount(7).address], sender);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('registers only validators whose node proves it is synced');
    expect(r.stderr).toContain('--node-url');
    expect(r.stderr).toContain('node_getArchiveSiblingPath');
  });

  it('is refused by the handler with a proof of another block, and half a proof is refused before L1', async () => {
    // The guide's second curl, for block 2, offered as the proof of block 1.
    const node = createRpcClient(net.rpcUrl, 'node', nodeApiSchema);
    const path = await node.getArchiveSiblingPath(2, 2);
    const base = ['add-l1-validator', '--l1-rpc-urls', net.l1Url, '--attester', devAccount(7).address];
    const wrong = runAztec([...base, '--block-number', '1', '--archive-sibling-path', path], sender);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/StakingAssetHandler__InvalidSyncProof/);

    const half = runAztec([...base, '--block-number', '2'], sender);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('--block-number needs --archive-sibling-path too');
  });

  it('registers with the proof read from the node (--node-url)', async () => {
    const r = runAztec(
      ['add-l1-validator', '--l1-rpc-urls', net.l1Url, '--attester', devAccount(7).address, '--node-url', net.rpcUrl],
      sender,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Staked validator ${devAccount(7).address}`);
    const client = createL1PublicClient({ rpcUrls: [net.l1Url], chainId: 31337 });
    const attesters = await client.readContract({ address: net.rollup, abi: RollupAbi, functionName: 'getAttesters' });
    expect(attesters).toContain(devAccount(7).address);
  });
});
