import { NodeError } from '../foundation/errors/index.js';

/** An L1 endpoint on another chain than the one configured (a misconfiguration: retrying cannot fix it). */
export class L1ChainMismatchError extends NodeError {
  constructor(message: string, context: Record<string, unknown>) {
    super('L1_CHAIN_MISMATCH', message, context);
  }
}

async function chainIdOf(url: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as { result?: string; error?: { message?: string } };
  if (typeof body.result !== 'string') throw new Error(body.error?.message ?? 'no result');
  return Number(BigInt(body.result));
}

/** An L1 endpoint that did not answer (down, starting, rate limiting): worth waiting for. */
export class L1UnreachableError extends NodeError {
  constructor(message: string, context: Record<string, unknown>) {
    super('L1_UNREACHABLE', message, context);
  }
}

/**
 * Asks every L1 RPC URL for its chain id. Throws `L1UnreachableError` naming the URL when one does not answer, and
 * `L1ChainMismatchError` when one is on another chain than `expected` (--l1-chain-id / L1_CHAIN_ID, or the network
 * preset's).
 */
export async function checkL1ChainId(urls: readonly string[], expected: number): Promise<void> {
  for (const url of urls) {
    let actual: number;
    try {
      actual = await chainIdOf(url);
    } catch (err) {
      throw new L1UnreachableError(
        `L1 RPC ${url} (from --l1-rpc-urls / ETHEREUM_HOSTS) did not answer eth_chainId: ${err instanceof Error ? err.message : String(err)}`,
        { url },
      );
    }
    if (actual !== expected) {
      throw new L1ChainMismatchError(
        `L1 RPC ${url} is on chain ${actual}, but the configured L1 chain id is ${expected} ` +
          `(--l1-chain-id / L1_CHAIN_ID or the network preset): point --l1-rpc-urls at the right chain or fix the chain id`,
        { url, expected, actual },
      );
    }
  }
}
