import { afterAll, describe, expect, it } from 'vitest';

import { createRpcClient } from '../../src/foundation/json-rpc/index.js';
import { configureLogging } from '../../src/foundation/log/index.js';
import { GovernanceProposerAbi } from '../../src/l1/generated/index.js';
import { nodeAdminApiSchema } from '../../src/node/api/schema.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

const PAYLOAD = '0x000000000000000000000000000000000000dec0';

/** GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS, set at run time through nodeAdmin_setConfig: signalled in our slots. */
describe('governance signalling', () => {
  let network: InProcessNetwork | undefined;
  afterAll(async () => {
    await network?.stop();
  });

  it('signals the payload in the sequencer’s slots once it is set', async () => {
    configureLogging({ level: 'warn' });
    network = await startInProcessNetwork();
    const node = await network.addNode({ node: true, archiver: true, sequencer: true, proverNode: false });
    const gp = { address: network.net.deployment.addresses.governanceProposer, abi: GovernanceProposerAbi } as const;
    // Rounds count slots, which begin at genesis (a slot after the local network's deployment): wait for block 1.
    await until('block 1', () => node.archiver.store.getLatestBlockNumber() >= 1n);
    const round = await network.l1.readContract({ ...gp, functionName: 'getCurrentRound' });
    const signals = () => network!.l1.readContract({ ...gp, functionName: 'signalCount', args: [round, PAYLOAD] });
    expect(await signals()).toBe(0n);

    const admin = createRpcClient(node.adminUrl, 'nodeAdmin', nodeAdminApiSchema);
    await admin.setConfig({ GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS: PAYLOAD });
    await until('a signal for the payload', async () => (await signals()) > 0n);

    await expect(admin.setConfig({ GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS: 'not-an-address' })).rejects.toMatchObject({
      code: -32602,
    });
  }, 120_000);
});
