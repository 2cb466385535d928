export * from './block-follower.js';
export * from './tx-pool.js';
