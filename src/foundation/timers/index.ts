export * from './polling-loop.js';
export * from './sleep.js';
export * from './retry.js';
