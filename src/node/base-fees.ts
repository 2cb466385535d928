import type { GasFees } from '../types/header.js';

/**
 * Base fees of the next block, in fee juice base units per unit of gas. Fixed for now: the fee market (fees that
 * follow demand) is not built yet; `node_getCurrentBaseFees` reports these.
 */
export const BASE_FEES: GasFees = { feePerDaGas: 1n, feePerL2Gas: 10n };
