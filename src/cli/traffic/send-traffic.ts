import type { Hex } from 'viem';

import { createRpcClient, type RpcClientOf } from '../../foundation/json-rpc/index.js';
import { createLogger } from '../../foundation/log/index.js';
import { createL1PublicClient, createL1WalletClient } from '../../l1/clients.js';
import { FeeAssetContract } from '../../l1/contracts/index.js';
import { nodeApiSchema } from '../../node/api/schema.js';
import { frToHex, type Fr } from '../../types/fr.js';
import { txToJSON } from '../../types/tx-json.js';
import type { Tx } from '../../types/tx.js';
import { FeeJuiceAccount } from './fee-juice-account.js';

type NodeClient = RpcClientOf<typeof nodeApiSchema>;

/** What `sendTraffic` did: each tx's hash and the block it landed in. */
export interface TrafficResult {
  account: string;
  txs: { txHash: string; blockNumber: number; fee: string }[];
}

/**
 * Makes traffic as a user would: a new L2 account funded with fee juice bridged from L1 (`l1PrivateKey` pays; it
 * mints the fee asset first when it is a minter, as on the local network), a first tx that claims the deposit and
 * pays its own fee, then `count - 1` more txs; waits for every receipt to be `success`.
 */
export async function sendTraffic(opts: {
  nodeUrl: string;
  l1RpcUrls: string[];
  l1PrivateKey: Hex;
  count: number;
  amount?: bigint;
  timeoutMs?: number;
}): Promise<TrafficResult> {
  const log = createLogger('traffic');
  const node = createRpcClient(opts.nodeUrl, 'node', nodeApiSchema);
  const info = await node.getNodeInfo();
  const a = info.l1ContractAddresses;
  const l1Opts = { rpcUrls: opts.l1RpcUrls, chainId: info.l1ChainId, pollingIntervalMs: 200 };
  const l1 = {
    publicClient: createL1PublicClient(l1Opts),
    walletClient: createL1WalletClient(l1Opts, opts.l1PrivateKey),
  };
  const mint = await new FeeAssetContract(l1.publicClient, a.feeAsset).isMinter(l1.walletClient.account.address);

  const account = new FeeJuiceAccount();
  const amount = opts.amount ?? 10n ** 18n;
  log.info('Bridging fee juice from L1', { l2Address: frToHex(account.address), amount });
  const claim = await account.bridgeFromL1(l1, a, amount, { mint });
  await FeeJuiceAccount.waitForMessage(node, claim, opts.timeoutMs);

  const baseFees = await node.getCurrentBaseFees();
  const make = async (first: boolean): Promise<Tx> =>
    account.makeTx({
      l1ChainId: info.l1ChainId,
      version: info.rollupVersion,
      baseFees,
      expiryBlockNumber: BigInt(await node.getBlockNumber()) + 1000n,
      ...(first ? { actions: [account.claimAction(claim)] } : {}),
    });

  // The claim first: the other txs are paid from what it credits, so they are valid once it is mined.
  const claimTx = await make(true);
  const hashes = [await node.sendTx(txToJSON(claimTx))];
  await waitForReceipts(node, hashes, opts.timeoutMs);
  for (let i = 1; i < opts.count; i++) hashes.push(await node.sendTx(txToJSON(await make(false))));
  log.info('Sent txs', { count: hashes.length });
  const txs = await waitForReceipts(node, hashes, opts.timeoutMs);
  return { account: frToHex(account.address), txs };
}

async function waitForReceipts(node: NodeClient, hashes: readonly Fr[], timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<Fr, { txHash: string; blockNumber: number; fee: string }>();
  while (done.size < hashes.length) {
    for (const h of hashes) {
      if (done.has(h)) continue;
      const r = await node.getTxReceipt(frToHex(h));
      if (r.status === 'dropped') throw new Error(`tx ${frToHex(h)} was dropped: ${r.error ?? 'no reason'}`);
      if (r.status === 'success') {
        done.set(h, { txHash: frToHex(h), blockNumber: r.blockNumber ?? 0, fee: r.transactionFee ?? '0' });
      }
    }
    if (done.size === hashes.length) break;
    if (Date.now() > deadline) throw new Error(`${hashes.length - done.size} txs not mined in ${timeoutMs / 1000}s`);
    await new Promise(r => setTimeout(r, 500));
  }
  return hashes.map(h => done.get(h)!);
}
