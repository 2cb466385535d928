export * from './build-block.js';
export * from './errors.js';
export * from './in-hash.js';
