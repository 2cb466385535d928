import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Abi,
  type Address,
  type Hash,
  type Hex,
} from 'viem';

import { NodeError } from '../foundation/errors/index.js';
import { AllErrorsAbi } from './generated/index.js';
import type { L1PublicClient, L1WalletClient } from './clients.js';

/** A contract call to send as an L1 transaction. */
export interface ContractWrite {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

/** An L1 transaction that reverted, with the contract's named error when it has one. */
export class L1TxRevertedError extends NodeError {
  constructor(
    readonly call: string,
    readonly reason: string,
    readonly txHash?: Hash,
  ) {
    super('L1_TX_REVERTED', `L1 call ${call} reverted: ${reason}${txHash ? ` (tx ${txHash})` : ''}`, {
      call,
      reason,
      ...(txHash ? { txHash } : {}),
    });
  }
}

/** The contract's custom error (`Name(args)`) from a viem error, or its short message. */
export function revertReason(err: unknown): string {
  if (err instanceof BaseError) {
    const revert = err.walk(e => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const data = revert.data;
      if (data?.errorName) {
        const args = (data.args ?? []).map(a => String(a)).join(', ');
        return `${data.errorName}(${args})`;
      }
      return revert.reason ?? revert.shortMessage;
    }
    return err.shortMessage;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * A gas limit with room for the block the tx lands in being different from the one it was estimated on: the first
 * rollup call of an epoch stores that epoch's committee and seeds (up to ~1M gas more). Only used gas is paid.
 */
export function withHeadroom(estimate: bigint): bigint {
  return estimate * 2n + 1_000_000n;
}

/**
 * Simulates the call (so a revert is reported with the contract's named error before any gas is spent), sends it
 * and waits for the receipt.
 */
export async function sendAndWait(
  c: { publicClient: L1PublicClient; walletClient: L1WalletClient },
  w: ContractWrite,
): Promise<Hash> {
  const call = `${w.functionName}`;
  try {
    // Simulate against every contract's errors so a revert from a nested call is decoded by name too.
    const abi = [...w.abi, ...AllErrorsAbi];
    await c.publicClient.simulateContract({ ...w, abi, account: c.walletClient.account });
    const estimate = await c.publicClient.estimateContractGas({ ...w, account: c.walletClient.account });
    const hash = await c.walletClient.writeContract({
      ...w,
      account: c.walletClient.account,
      chain: c.walletClient.chain,
      gas: withHeadroom(estimate),
    });
    const receipt = await c.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new L1TxRevertedError(call, 'reverted on chain', hash);
    return hash;
  } catch (err) {
    if (err instanceof L1TxRevertedError) throw err;
    throw new L1TxRevertedError(call, revertReason(err));
  }
}

/** An error argument as written in Solidity: numbers and addresses as they are, a struct as `{ field: value }`. */
function formatErrorArg(a: unknown): string {
  if (a !== null && typeof a === 'object') {
    const fields = Object.entries(a).map(([k, v]) => `${k}: ${formatErrorArg(v)}`);
    return `{ ${fields.join(', ')} }`;
  }
  if (typeof a === 'bigint' || typeof a === 'number' || typeof a === 'boolean' || typeof a === 'string') return `${a}`;
  return 'undefined';
}

/** A revert's contract error by name (from any of our contracts), or the RPC's message. */
export function decodeRevert(err: unknown): string {
  if (err instanceof BaseError) {
    const raw = err.walk(e => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null;
    const data = raw?.data;
    if (data && data.length >= 10) {
      try {
        const d = decodeErrorResult({ abi: AllErrorsAbi, data });
        return `${d.errorName}(${(d.args ?? []).map(formatErrorArg).join(', ')})`;
      } catch {
        // not one of ours: fall through to the message
      }
    }
  }
  return revertReason(err);
}
