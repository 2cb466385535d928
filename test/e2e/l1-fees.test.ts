import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FeeJuiceAccount } from '../../src/cli/traffic/fee-juice-account.js';
import { createRpcClient, type RpcClientOf } from '../../src/foundation/json-rpc/index.js';
import { createL1WalletClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import type { RunningNode } from '../../src/node/aztec-node.js';
import { nodeApiSchema } from '../../src/node/api/schema.js';
import { frToHex } from '../../src/types/fr.js';
import type { GasFees } from '../../src/types/header.js';
import { txToJSON } from '../../src/types/tx-json.js';
import { startInProcessNetwork, until, type InProcessNetwork } from '../helpers/in-process-network.js';

/** The modules of `aztec start --local-network` (one validator). */
const LOCAL = { node: true, archiver: true, sequencer: true, proverNode: true } as const;
const GWEI = 1_000_000_000n;

/**
 * Fees that follow L1 (docs/fees.md): L1's base fee jumps, the node's base fees follow within two L2 blocks while
 * blocks keep landing; a tx whose max fee is below the new base fee waits in the pool, and is included once L1's
 * fee, and with it the L2 base fee, falls back.
 */
describe('L2 base fees follow L1', () => {
  let network: InProcessNetwork;
  let node: RunningNode;
  let client: RpcClientOf<typeof nodeApiSchema>;
  const blockNumber = () => node.archiver.store.getLatestBlockNumber();

  beforeAll(async () => {
    network = await startInProcessNetwork();
    node = await network.addNode(LOCAL);
    client = createRpcClient(node.rpcUrl, 'node', nodeApiSchema);
  }, 120_000);
  afterAll(async () => {
    await network?.stop();
  });

  const l1BaseFee = async () => (await network.l1.getBlock()).baseFeePerGas ?? 0n;
  const setNextL1BaseFee = (fee: bigint) => network.rpc('anvil_setNextBlockBaseFeePerGas', [`0x${fee.toString(16)}`]);
  const receipt = async (hash: string) => (await client.getTxReceipt(hash)).status;

  it('raises the base fees within two L2 blocks; an under-priced tx waits, then lands when fees fall', async () => {
    const info = await client.getNodeInfo();
    const account = new FeeJuiceAccount();
    const l1 = {
      publicClient: network.l1,
      walletClient: createL1WalletClient(
        { rpcUrls: [network.net.anvil.url], chainId: 31337 },
        devAccount(0).privateKey,
      ),
    };
    const claim = await account.bridgeFromL1(l1, network.net.deployment.addresses, 10n ** 18n, { mint: true });
    await FeeJuiceAccount.waitForMessage(client, claim);
    const make = async (baseFees: GasFees, claiming = false) =>
      account.makeTx({
        l1ChainId: info.l1ChainId,
        version: info.rollupVersion,
        baseFees, // max fees are twice these
        expiryBlockNumber: BigInt(await client.getBlockNumber()) + 1000n,
        ...(claiming ? { actions: [account.claimAction(claim)] } : {}),
      });
    const claimTx = await make(await client.getCurrentBaseFees(), true);
    const claimHash = await client.sendTx(txToJSON(claimTx));
    await until('the claim to be mined', async () => (await receipt(frToHex(claimHash))) === 'success', 120_000);

    // Right after a block lands (no publisher tx in flight to be priced out), L1's base fee jumps.
    const before = await client.getCurrentBaseFees();
    const l1Before = await l1BaseFee();
    const landed = blockNumber();
    await until('a new L2 block', () => blockNumber() > landed);
    const raisedAt = blockNumber();
    await setNextL1BaseFee(l1Before * 50n > 50n * GWEI ? l1Before * 50n : 50n * GWEI);
    await until(
      'the base fee to follow L1',
      async () => (await client.getCurrentBaseFees()).feePerL2Gas > before.feePerL2Gas * 10n,
      60_000,
    );
    const risenAt = blockNumber();
    expect(risenAt - raisedAt).toBeLessThanOrEqual(2n);
    const high = await client.getCurrentBaseFees();

    // A tx paying at most twice the old fee: accepted, and pending while blocks land without it.
    const cheap = await make(before);
    expect(cheap.gasSettings.maxFeesPerGas.feePerL2Gas).toBeLessThan(high.feePerL2Gas);
    const cheapHash = frToHex(await client.sendTx(txToJSON(cheap)));
    expect(await receipt(cheapHash)).toBe('pending');
    await until('two more L2 blocks', () => blockNumber() >= risenAt + 2n, 60_000);
    expect(await receipt(cheapHash)).toBe('pending');
    // Those blocks landed with the high fees, which the tx does not cover.
    const highBlock = await client.getBlock(Number(risenAt + 2n));
    expect(highBlock?.header.globalVariables.gasFees.feePerL2Gas).toBeGreaterThan(
      cheap.gasSettings.maxFeesPerGas.feePerL2Gas,
    );

    // L1's fee falls back: so does the base fee, and the tx is included.
    await setNextL1BaseFee(l1Before);
    await until('the tx to be included', async () => (await receipt(cheapHash)) === 'success', 90_000);
    const after = await client.getCurrentBaseFees();
    expect(after.feePerL2Gas).toBeLessThanOrEqual(cheap.gasSettings.maxFeesPerGas.feePerL2Gas);
    const block = await client.getBlock(Number((await client.getTxReceipt(cheapHash)).blockNumber));
    expect(block?.header.globalVariables.gasFees.feePerL2Gas).toBeLessThanOrEqual(
      cheap.gasSettings.maxFeesPerGas.feePerL2Gas,
    );
  }, 300_000);
});
