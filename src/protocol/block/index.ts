export * from './build-block.js';
export * from './errors.js';
