export * from './errors.js';
export * from './lmdb-store.js';
export * from './types.js';
