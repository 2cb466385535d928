import type { Logger } from '../foundation/log/index.js';
import type { MetricsRegistry } from '../foundation/metrics/index.js';
import { retryUntilDone } from '../foundation/timers/index.js';
import type { L1ContractAddresses } from '../l1/addresses.js';
import { checkL1ChainId, L1ChainMismatchError } from '../l1/chain-check.js';
import { createL1PublicClient, type L1ClientOptions, type L1PublicClient } from '../l1/clients.js';
import type { L1Config } from '../l1/config.js';
import { RollupContract, type RollupConstants } from '../l1/contracts/index.js';
import { isAddressMisconfiguration, resolveL1Addresses } from './l1-addresses.js';

/** The node's view of its L1: a client, where the contracts are, and the rollup's constants. */
export interface L1Connection {
  clientOpts: L1ClientOptions;
  publicClient: L1PublicClient;
  addresses: L1ContractAddresses;
  rollup: RollupContract;
  constants: RollupConstants;
}

/**
 * Connects to L1 the way an Ethereum client waits for its execution node: an endpoint that is down, starting, or
 * answering 5xx or 429 is retried with backoff while the log says what the node waits for. Only a definite
 * misconfiguration stops the start: an endpoint on another chain, no rollup configured, no contract at its address.
 */
export async function connectL1(
  l1: L1Config,
  opts: {
    network?: string | undefined;
    addresses?: L1ContractAddresses;
    log: Logger;
    signal?: AbortSignal;
    metrics?: MetricsRegistry;
  },
): Promise<L1Connection> {
  const retry = <T>(what: string, fn: () => Promise<T>) =>
    retryUntilDone(fn, {
      what,
      log: opts.log,
      isFatal: err => err instanceof L1ChainMismatchError || isAddressMisconfiguration(err),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  await retry(`the L1 RPC (${l1.l1RpcUrls.join(', ')}) to answer eth_chainId`, () =>
    checkL1ChainId(l1.l1RpcUrls, l1.l1ChainId),
  );
  const clientOpts: L1ClientOptions = {
    rpcUrls: l1.l1RpcUrls,
    chainId: l1.l1ChainId,
    pollingIntervalMs: 1_000,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  };
  const publicClient = createL1PublicClient(clientOpts);
  const addresses =
    opts.addresses ??
    (await retry('the L1 contract addresses', () => resolveL1Addresses(l1, publicClient, opts.network)));
  const rollup = new RollupContract(publicClient, addresses.rollup);
  const constants = await retry('the rollup constants', () => rollup.getConstants());
  return { clientOpts, publicClient, addresses, rollup, constants };
}
