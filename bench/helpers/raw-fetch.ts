// The raw reads behind an archiver sync, with nothing checked: the bound a sync is compared with in the benches.
import type { Hex } from 'viem';

import { RollupAbi } from '../../src/l1/generated/index.js';
import type { TestL1 } from '../../test/helpers/l1.js';

/** Runs `task` over `items`, at most `n` at a time, keeping the order of the results. */
async function mapLimit<T, R>(items: readonly T[], n: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/**
 * The raw reads behind a sync, nothing checked: `L2BlockProposed` logs in batches of `batch` L1 blocks, each block's
 * L1 header, transaction and blob JSON (parsed and hex-decoded, as any client must).
 */
export async function rawFetch(
  l1: TestL1,
  from: bigint,
  head: bigint,
  { batch, concurrency }: { batch: number; concurrency: number },
): Promise<{ blocks: number; blobBytes: number; ms: number }> {
  const start = performance.now();
  let blocks = 0;
  let blobBytes = 0;
  for (let lo = from; lo <= head; lo += BigInt(batch)) {
    const hi = lo + BigInt(batch) - 1n < head ? lo + BigInt(batch) - 1n : head;
    const [, logs] = await Promise.all([
      l1.publicClient.getBlock({ blockNumber: hi }),
      l1.publicClient.getContractEvents({
        address: l1.deployment.addresses.rollup,
        abi: RollupAbi,
        eventName: 'L2BlockProposed',
        fromBlock: lo,
        toBlock: hi,
        strict: true,
      }),
    ]);
    const sizes = await mapLimit(logs, concurrency, async log => {
      const hashes: readonly Hex[] = log.args.versionedBlobHashes;
      const [, , res] = await Promise.all([
        l1.publicClient.getBlock({ blockNumber: log.blockNumber }),
        l1.publicClient.getTransaction({ hash: log.transactionHash }),
        fetch(`${l1.anvil.url}/eth/v1/beacon/blobs/${log.blockHash}?versioned_hashes=${hashes.join(',')}`),
      ]);
      const { data } = (await res.json()) as { data: string[] };
      return data.reduce((sum, hex) => sum + Buffer.from(hex.slice(2), 'hex').length, 0);
    });
    blocks += logs.length;
    blobBytes += sizes.reduce((a, b) => a + b, 0);
  }
  return { blocks, blobBytes, ms: performance.now() - start };
}
