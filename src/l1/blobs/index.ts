export * from './encoding.js';
export * from './errors.js';
export * from './hashes.js';
export * from './kzg.js';
export * from './send.js';
export * from './verifier.js';
