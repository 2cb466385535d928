export * from './config.js';
export * from './metrics.js';
export * from './sentinel.js';
export * from './slot-duties.js';
export * from './stats.js';
export * from './store.js';
export * from './types.js';
export * from './schema.js';
