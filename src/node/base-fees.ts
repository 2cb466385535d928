import type { GasFees } from '../types/header.js';

/** Where the node gets base fees: for the next block (the API, the pool), and for a block at an L1 time (the sequencer). */
export interface BaseFeeSource {
  /** Base fees of the next block, as last computed. */
  current(): GasFees;
  /** Base fees of a block at L1 time `timestamp`. */
  at(timestamp: bigint): Promise<GasFees> | GasFees;
}

/** Base fees that do not change (in fee juice base units per unit of gas). */
export function fixedBaseFees(fees: GasFees = { feePerDaGas: 1n, feePerL2Gas: 10n }): BaseFeeSource {
  return { current: () => fees, at: () => fees };
}
