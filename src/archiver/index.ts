export * from './archiver.js';
export * from './block-retriever.js';
export * from './config.js';
export * from './errors.js';
export * from './l1-reader.js';
export * from './message-sync.js';
export * from './store.js';
export * from './types.js';
