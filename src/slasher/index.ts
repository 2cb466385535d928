export * from './config.js';
export * from './detector.js';
export * from './metrics.js';
export * from './reporter.js';
export * from './slasher-client.js';
export * from './watcher.js';
