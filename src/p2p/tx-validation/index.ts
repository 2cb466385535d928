export * from './rejection.js';
export * from './rules.js';
