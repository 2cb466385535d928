export * from './check.js';
export * from './errors.js';
export * as parsers from './parsers.js';
export * from './resolve.js';
export * from './types.js';
