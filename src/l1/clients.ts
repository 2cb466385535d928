import {
  createPublicClient,
  createWalletClient,
  defineChain,
  fallback,
  http,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { MetricsRegistry } from '../foundation/metrics/index.js';
import { instrumentTransport } from './metrics.js';

/** What an L1 client needs to know. */
export interface L1ClientOptions {
  /** Execution RPC URLs, tried in order (failover). */
  rpcUrls: readonly string[];
  chainId: number;
  /** How often viem polls for receipts and new blocks. */
  pollingIntervalMs?: number;
  /** Where requests, errors and rate limits are counted (`aztec_l1_*`); none: not counted. */
  metrics?: MetricsRegistry;
}

export type L1PublicClient = PublicClient<Transport, Chain>;
export type L1WalletClient = WalletClient<Transport, Chain, Account>;

/** A viem chain definition for an L1 we only know by id and URLs. */
export function l1Chain(opts: L1ClientOptions): Chain {
  return defineChain({
    id: opts.chainId,
    name: `L1 (chain ${opts.chainId})`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [...opts.rpcUrls] } },
  });
}

function transport(opts: L1ClientOptions): Transport {
  const t = baseTransport(opts);
  return opts.metrics ? instrumentTransport(t, opts.metrics) : t;
}

function baseTransport(opts: L1ClientOptions): Transport {
  if (opts.rpcUrls.length === 0) throw new Error('no L1 RPC URL given (--l1-rpc-urls / ETHEREUM_HOSTS)');
  if (opts.rpcUrls.length === 1) return http(opts.rpcUrls[0], { retryCount: 3, retryDelay: 250, timeout: 30_000 });
  // Several URLs: no retries per URL (a dead first URL would cost every request its retries); the fallback moves on
  // to the next URL at once and retries the whole list with backoff (429s and outages alike).
  const each = opts.rpcUrls.map(url => http(url, { retryCount: 0, timeout: 30_000 }));
  return fallback(each, { retryCount: 3, retryDelay: 250 });
}

/** A read-only client over all the given RPC URLs. */
export function createL1PublicClient(opts: L1ClientOptions): L1PublicClient {
  return createPublicClient({
    chain: l1Chain(opts),
    transport: transport(opts),
    pollingInterval: opts.pollingIntervalMs ?? 1_000,
  });
}

/** A signing client for the account of `privateKey`. */
export function createL1WalletClient(opts: L1ClientOptions, privateKey: Hex): L1WalletClient {
  return createWalletClient({
    account: privateKeyToAccount(privateKey),
    chain: l1Chain(opts),
    transport: transport(opts),
    pollingInterval: opts.pollingIntervalMs ?? 1_000,
  });
}
