export * from './errors.js';
export { emptyL1ToL2Leaves, LmdbWorldStateFork } from './fork.js';
export { padL1ToL2Messages } from '../types/in-hash.js';
export * from './genesis.js';
export { applyBlockBody, applyTxEffect } from './prepare-block.js';
export * from './types.js';
export * from './world-state.js';
