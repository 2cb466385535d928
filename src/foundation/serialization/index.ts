export * from './errors.js';
export * from './reader.js';
export * from './writer.js';
export * from './codec.js';
