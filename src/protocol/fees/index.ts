export * from './fee-math.js';
export * from './base-fee-source.js';
