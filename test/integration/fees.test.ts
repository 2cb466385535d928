import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Clock } from '../../src/foundation/time/index.js';
import { RollupContract } from '../../src/l1/contracts/index.js';
import {
  computeBaseFees,
  CONGESTION_UPDATE_FRACTION,
  MANA_TARGET,
  MAX_EXCESS_MANA,
  RollupBaseFees,
  type FeeInputs,
} from '../../src/protocol/fees/index.js';
import { startTestL1, type TestL1 } from '../helpers/l1.js';

/** A deterministic generator of bigints of varying sizes (xorshift). */
function inputsGenerator(seed: bigint): () => FeeInputs {
  let x = seed;
  const next = () => {
    x ^= (x << 13n) & ((1n << 64n) - 1n);
    x ^= x >> 7n;
    x ^= (x << 17n) & ((1n << 64n) - 1n);
    return x;
  };
  // Magnitudes from a few wei to far beyond any real price, and excess mana from none to beyond the cap.
  const value = (maxBits: bigint) => {
    const bits = next() % maxBits;
    return (next() * next() * next()) % (1n << bits);
  };
  return () => ({ l1BaseFee: value(140n), blobFee: value(140n), excessMana: value(34n) });
}

const GWEI = 1_000_000_000n;
const EDGES: FeeInputs[] = [
  { l1BaseFee: 0n, blobFee: 0n, excessMana: 0n },
  { l1BaseFee: 1n, blobFee: 1n, excessMana: 1n },
  { l1BaseFee: 7n, blobFee: 1n, excessMana: MANA_TARGET },
  { l1BaseFee: 3n * GWEI, blobFee: 5n, excessMana: CONGESTION_UPDATE_FRACTION },
  { l1BaseFee: 100n * GWEI, blobFee: 10n ** 12n, excessMana: MAX_EXCESS_MANA },
  { l1BaseFee: 100n * GWEI, blobFee: 1n, excessMana: MAX_EXCESS_MANA + 1n },
  { l1BaseFee: (1n << 128n) - 1n, blobFee: (1n << 128n) - 1n, excessMana: MAX_EXCESS_MANA },
  { l1BaseFee: 1n << 200n, blobFee: 1n << 255n, excessMana: (1n << 256n) - 1n },
];

describe('base fees: the node’s FeeLib mirror against the Rollup on anvil', () => {
  let l1: TestL1;
  let rollup: RollupContract;
  const rpc = (method: string, params: unknown[]) =>
    l1.publicClient.request({ method: method as 'eth_chainId', params: params as never });
  beforeAll(async () => {
    l1 = await startTestL1();
    rollup = new RollupContract(l1.publicClient, l1.deployment.addresses.rollup);
  });
  afterAll(async () => {
    await l1?.stop();
  });

  it('computes the same fees as the contract for 300 inputs, edges included', async () => {
    const gen = inputsGenerator(0x5eed_fee5n);
    const inputs = [...EDGES, ...Array.from({ length: 300 - EDGES.length }, gen)];
    for (let i = 0; i < inputs.length; i += 50) {
      const batch = inputs.slice(i, i + 50);
      const onChain = await Promise.all(batch.map(x => rollup.computeBaseFees(x)));
      batch.forEach((x, j) =>
        expect(
          computeBaseFees(x),
          JSON.stringify(x, (_, v) => String(v)),
        ).toEqual(onChain[j]),
      );
    }
  }, 60_000);

  it('reads the Rollup’s inputs: the snapshot L1 prices slot after slot, as getBaseFeesAt says', async () => {
    const { genesisTime, slotDuration } = await rollup.getConstants();
    const clock: Clock = { nowMs: () => Date.now() };
    const source = new RollupBaseFees(
      { rollup, constants: { genesisTime, slotDuration, epochDuration: 8n }, clock },
      { intervalMs: 1000 },
    );
    const slotStart = (slot: bigint) => genesisTime + slot * slotDuration;
    const block = await l1.publicClient.getBlock();
    const slot = (block.timestamp - genesisTime) / slotDuration + 1n;

    // In `slot`, L1's base fee is 50 gwei when the snapshot is taken: it prices the slot after.
    await rpc('anvil_setNextBlockBaseFeePerGas', [`0x${(50n * GWEI).toString(16)}`]);
    await rpc('evm_setNextBlockTimestamp', [Number(slotStart(slot))]);
    await l1.walletClient.sendTransaction({
      to: rollup.address,
      data: rollup.encodeUpdateL1FeeSnapshot(),
      gas: 200_000n,
      maxFeePerGas: 100n * GWEI,
      maxPriorityFeePerGas: 1n,
      chain: null,
    });
    const { latest } = await rollup.getL1FeeSnapshots();
    expect(latest).toMatchObject({ fromSlot: slot + 1n, baseFee: 50n * GWEI });
    for (const s of [slot, slot + 1n]) {
      expect(await source.at(slotStart(s))).toEqual(await rollup.getBaseFeesAt(slotStart(s)));
    }
    expect((await source.at(slotStart(slot + 1n))).feePerL2Gas).toBe((300_000n * 50n * GWEI) / MANA_TARGET);
    expect((await source.at(slotStart(slot))).feePerL2Gas).toBeLessThan((300_000n * 50n * GWEI) / MANA_TARGET);
  }, 60_000);
});
