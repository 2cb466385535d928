import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';

import { asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { startTestNode, TEST_NETWORK, type TestNode } from '../p2p/testing/index.js';
import { buildBlock } from '../sequencer/block-builder/index.js';
import {
  ALICE_KEY,
  makeTx,
  TEST_CHAIN_ID,
  TEST_PORTAL,
  TEST_VERSION,
  testGlobals,
} from '../sequencer/testing/index.js';
import type { Tx } from '../types/index.js';
import { P2PAttestationSource } from './attestation-source.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from './slashing-protection.js';
import { ValidatorClient } from './validator-client.js';

// One real node with no peers; the committee is a fixed stand-in for the L1 read (no anvil).

let node: TestNode | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('P2PAttestationSource', () => {
  it('gives up with how many attested, and refuses a second block for a slot it proposed', async () => {
    node = await startTestNode();
    const key = generatePrivateKey();
    const me = privateKeyToAddress(key);
    const committee = [privateKeyToAddress(generatePrivateKey()), me, privateKeyToAddress(generatePrivateKey())];
    const slot = asSlot(12n);
    const client = new ValidatorClient(
      {
        p2p: node.p2p,
        epochCache: {
          getCommittee: () => Promise.resolve({ committee, quorum: 3 }),
          getProposerAttester: () => Promise.resolve(me),
        },
        constants: { genesisTime: asUnixSeconds(0n), slotDuration: 600n, epochDuration: 4n },
        worldState: node.world.worldState,
        txPool: node.pool,
        l1ToL2Messages: () => [],
        l1ChainId: Number(TEST_CHAIN_ID),
        rollup: TEST_NETWORK.rollupAddress,
        rollupVersion: TEST_VERSION,
        feeJuicePortal: TEST_PORTAL,
        signer: new ProtectedSigner(key, new SlashingProtection(node.world.store, chainIdentityRoot(1, me))),
      },
      { disabled: false, attestationsWaitTimeoutMs: 300, attestationsPollingIntervalMs: 50 },
    );
    client.start();
    const build = async (txs: Tx[]) => {
      const fork = node!.world.worldState.fork();
      const globals = testGlobals(fork.baseBlockNumber + 1n, { slotNumber: slot });
      const args = { fork, txs, globals, l1ToL2Messages: [], l1ChainId: TEST_CHAIN_ID, feeJuicePortal: TEST_PORTAL };
      const built = await buildBlock(args);
      fork.discard();
      return { ...built, failed: [] };
    };
    const source = new P2PAttestationSource(client);
    const deadline = new Date(Date.now() + 10_000);

    expect(await source.collect({ built: await build([]), committee: [], quorum: 0, deadline })).toEqual({
      attestations: [],
    });
    const started = Date.now();
    expect(await source.collect({ built: await build([]), committee, quorum: 3, deadline })).toEqual({
      reason: 'not enough attestations: 1 of 3 committee members attested, 3 needed',
    });
    expect(Date.now() - started).toBeLessThan(2_000);

    const other = await build([await makeTx(ALICE_KEY)]);
    const refused = await source.collect({ built: other, committee, quorum: 3, deadline });
    expect(refused).toEqual({ reason: expect.stringContaining('slashing protection') as unknown });
  });
});
