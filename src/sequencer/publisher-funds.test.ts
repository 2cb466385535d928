import type { Address } from 'viem';
import { describe, expect, it } from 'vitest';

import { Registry } from '../foundation/metrics/index.js';
import type { SequencerPublisher } from './deps.js';
import { PublisherFunds } from './publisher-funds.js';

const publisher = (address: Address): SequencerPublisher => ({
  address,
  propose: () => Promise.resolve({ published: false, reason: 'fake' }),
  prune: () => Promise.resolve(false),
});
const POOR = publisher('0x000000000000000000000000000000000000dead');
const RICH = publisher('0x000000000000000000000000000000000000f00d');
const balances = new Map<Address, bigint>([
  [POOR.address, 10n],
  [RICH.address, 100n],
]);
const client = { getBalance: ({ address }: { address: Address }) => Promise.resolve(balances.get(address) ?? 0n) };

describe('PublisherFunds', () => {
  it('picks the first publisher with the minimum balance, counting each skipped one', async () => {
    const metrics = new Registry();
    const funds = new PublisherFunds(client, 50n, { metrics });
    expect(await funds.pick([POOR, RICH])).toBe(RICH);
    expect(await funds.pick([RICH, POOR])).toBe(RICH);
    expect(await funds.pick([POOR])).toBeUndefined();
    const text = await metrics.metrics();
    expect(text).toContain(`aztec_sequencer_publishers_skipped_total{publisher="${POOR.address}"} 2`);
    expect(text).not.toContain(`publisher="${RICH.address}"`);
  });
});
