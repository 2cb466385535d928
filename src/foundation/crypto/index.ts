export * from './merkle-path.js';
export * from './sha256.js';
