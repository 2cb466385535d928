export * from './errors.js';
export { emptyL1ToL2Leaves, padL1ToL2Messages, LmdbWorldStateFork } from './fork.js';
export * from './genesis.js';
export { applyBlockBody, applyTxEffect } from './prepare-block.js';
export * from './types.js';
export * from './world-state.js';
