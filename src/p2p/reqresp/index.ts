export * from './block.js';
export * from './core.js';
export * from './status.js';
export * from './tx.js';
