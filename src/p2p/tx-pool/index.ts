export * from './tx-pool.js';
export * from './validation.js';
