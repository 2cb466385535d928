import { decodeFunctionData, toFunctionSelector, type Hex } from 'viem';

import { RollupAbi } from '../generated/index.js';

/** The arguments of one `Rollup.propose(header, archive, attestations, blobInput)` call. */
export interface ProposeCall {
  header: Hex;
  archive: Hex;
  attestations: number;
  /** The committee signatures carried, in committee order (who signed: recover them over the proposal digest). */
  signatures: readonly { v: number; r: Hex; s: Hex }[];
  blobInput: Hex;
}

const PROPOSE_ABI = RollupAbi.filter(item => item.type === 'function' && item.name === 'propose');
const proposeItem = PROPOSE_ABI[0];
if (proposeItem === undefined) throw new Error('RollupAbi has no propose function');
/** The 4-byte selector of `propose`, as lowercase hex without `0x`. */
export const PROPOSE_SELECTOR = toFunctionSelector(proposeItem).slice(2).toLowerCase();

function tryDecode(data: Hex): ProposeCall | undefined {
  try {
    const { functionName, args } = decodeFunctionData({ abi: PROPOSE_ABI, data });
    if (functionName !== 'propose') return undefined;
    const [header, archive, attestations, blobInput] = args;
    const signatures = attestations.map(a => ({ v: a.v, r: a.r, s: a.s }));
    return { header, archive, attestations: attestations.length, signatures, blobInput };
  } catch {
    return undefined;
  }
}

/**
 * Finds the `propose` call that produced an `L2BlockProposed` event in an L1 transaction's calldata. A direct call to
 * the rollup is decoded as is. A publisher may also bundle it (a multicall with a governance signal, say): then every
 * occurrence of the `propose` selector in the calldata is tried, since ABI-encoded inner calls keep their bytes
 * contiguous and their offsets relative to their own start (trailing bytes after a candidate are ignored). Only a
 * call whose `archive` equals the event's is accepted, so a stray selector cannot be mistaken for the call.
 * Returns undefined when there is none.
 */
export function findProposeCall(input: Hex, expectedArchive: Hex): ProposeCall | undefined {
  const want = expectedArchive.toLowerCase();
  const matches = (call: ProposeCall | undefined) => call !== undefined && call.archive.toLowerCase() === want;
  const direct = tryDecode(input);
  if (matches(direct)) return direct;
  const hex = input.slice(2).toLowerCase();
  // Selector positions must be byte aligned (even hex offsets).
  for (let at = hex.indexOf(PROPOSE_SELECTOR, 2); at !== -1; at = hex.indexOf(PROPOSE_SELECTOR, at + 1)) {
    if (at % 2 !== 0) continue;
    const candidate = tryDecode(`0x${hex.slice(at)}`);
    if (matches(candidate)) return candidate;
  }
  return undefined;
}
