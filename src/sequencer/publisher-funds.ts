import type { Address } from 'viem';

import { errorMessage } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { counter, Registry, type MetricsRegistry } from '../foundation/metrics/index.js';
import type { SequencerPublisher } from './deps.js';

/**
 * Picks the publisher of a validator that can pay for a block: the first whose L1 balance is at least
 * `minBalance` (SEQ_PUBLISHER_MIN_BALANCE). Each one skipped is logged as a warning and counted in
 * `aztec_sequencer_publishers_skipped_total`.
 */
export class PublisherFunds {
  private readonly log: Logger;
  private readonly skipped;

  constructor(
    private readonly client: { getBalance(args: { address: Address }): Promise<bigint> },
    private readonly minBalance: bigint,
    opts: { metrics?: MetricsRegistry; logger?: Logger } = {},
  ) {
    this.log = opts.logger ?? createLogger('sequencer');
    this.skipped = counter(opts.metrics ?? new Registry(), {
      name: 'aztec_sequencer_publishers_skipped_total',
      help: 'Times a publisher was passed over for a block because its L1 balance was below SEQ_PUBLISHER_MIN_BALANCE',
      labelNames: ['publisher'],
    });
  }

  /** The first publisher with enough ETH, or undefined when none has (or their balances cannot be read). */
  readonly pick = async (publishers: readonly SequencerPublisher[]): Promise<SequencerPublisher | undefined> => {
    for (const p of publishers) {
      let balance: bigint;
      try {
        balance = await this.client.getBalance({ address: p.address });
      } catch (err) {
        this.log.warn('Could not read a publisher balance', { publisher: p.address, error: errorMessage(err) });
        continue;
      }
      if (balance >= this.minBalance) return p;
      this.skipped.inc({ publisher: p.address });
      this.log.warn('Publisher skipped: not enough ETH to publish a block', {
        publisher: p.address,
        balanceWei: balance,
        minBalanceWei: this.minBalance,
      });
    }
    return undefined;
  };
}
